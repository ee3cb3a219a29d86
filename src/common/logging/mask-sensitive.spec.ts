import { maskSensitive } from './mask-sensitive';

describe('maskSensitive', () => {
  it.each([
    ['+14155550123', '+•••••••••23'],
    ['call (415) 555-0123 now', 'call ••••••••23 now'],
    ['lead jane.doe@example.com wrote', 'lead j***@example.com wrote'],
    ['Authorization: Bearer abc.def', 'Authorization: [redacted]'],
    ['secret whsec_abcDEF123', 'secret [redacted]'],
    ['key sk-proj-abcdefgh1234', 'key [redacted]'],
    ['send_to_+14155550123_failed', 'send_to_+•••••••••23_failed'],
  ])('masks %s', (input, expected) => {
    expect(maskSensitive(input)).toBe(expected);
  });

  it('keeps uuids intact', () => {
    const id = '00000000-0000-4000-8000-00000000d3e0';

    expect(maskSensitive(`tenant ${id}`)).toBe(`tenant ${id}`);
  });

  it('redacts configured secret values', () => {
    expect(maskSensitive('blooio key k3y-value leaked', ['k3y-value'])).toBe(
      'blooio key [redacted] leaked',
    );
  });
});

import { messageStatusesBefore, sendStatusesBefore } from './delivery-status';

describe('messageStatusesBefore', () => {
  it.each([
    ['sent', ['pending', 'queued']],
    ['delivered', ['pending', 'queued', 'sent']],
    ['read', ['pending', 'queued', 'sent', 'delivered']],
    ['failed', ['pending', 'queued', 'sent']],
  ] as const)('lets %s follow %j', (next, expected) => {
    expect(messageStatusesBefore(next)).toEqual(expected);
  });

  it('never moves a failed or read message', () => {
    for (const next of ['sent', 'delivered', 'read', 'failed'] as const) {
      expect(messageStatusesBefore(next)).not.toContain('failed');
      expect(messageStatusesBefore(next)).not.toContain('read');
    }
  });

  it('never touches an inbound message', () => {
    expect(messageStatusesBefore('read')).not.toContain('received');
  });
});

describe('sendStatusesBefore', () => {
  it.each([
    ['sent', ['pending', 'accepted']],
    ['delivered', ['pending', 'accepted', 'sent']],
    ['read', ['pending', 'accepted', 'sent', 'delivered']],
    ['failed', ['pending', 'accepted', 'sent']],
  ] as const)('lets %s follow %j', (next, expected) => {
    expect(sendStatusesBefore(next)).toEqual(expected);
  });

  it('never moves a withheld send', () => {
    expect(sendStatusesBefore('failed')).not.toContain('withheld');
  });
});

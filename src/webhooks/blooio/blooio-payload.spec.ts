import { WebhookError } from '../webhooks.errors';
import { parseBlooioPayload } from './blooio-payload';

const now = new Date('2026-12-04T12:00:00Z');
const base = {
  event: 'message.received',
  message_id: 'msg_1',
  external_id: '+14155552671',
  internal_id: '+14155550100',
};

function errorOf(payload: unknown): WebhookError {
  try {
    parseBlooioPayload(payload, now);
  } catch (error) {
    return error as WebhookError;
  }

  throw new Error('expected parseBlooioPayload to throw');
}

describe('parseBlooioPayload', () => {
  it('maps the known fields', () => {
    const { event } = parseBlooioPayload(
      {
        ...base,
        protocol: 'sms',
        text: 'hi',
        is_group: false,
        timestamp: 1733356800000,
        received_at: '1733356799000',
        error_code: 30007,
      },
      now,
    );

    expect(event).toMatchObject({
      type: 'message.received',
      messageId: 'msg_1',
      externalId: '+14155552671',
      protocol: 'sms',
      text: 'hi',
      isGroup: false,
      occurredAt: new Date(1733356800000),
      receivedAt: new Date(1733356799000),
      errorCode: '30007',
    });
  });

  it('defaults text, attachments and time', () => {
    const { event } = parseBlooioPayload(base, now);

    expect(event.text).toBe('');
    expect(event.attachments).toEqual([]);
    expect(event.occurredAt).toEqual(now);
  });

  it('treats out-of-range times as absent', () => {
    const { event } = parseBlooioPayload(
      { ...base, timestamp: 1733356800, received_at: null },
      now,
    );

    expect(event.occurredAt).toEqual(now);
    expect(event.receivedAt).toBeUndefined();
  });

  it('normalises both attachment forms', () => {
    const { event } = parseBlooioPayload(
      { ...base, attachments: ['https://a/1.jpg', { url: 'https://a/2.pdf', name: '2.pdf' }] },
      now,
    );

    expect(event.attachments).toEqual([
      { url: 'https://a/1.jpg' },
      { url: 'https://a/2.pdf', name: '2.pdf' },
    ]);
  });

  it('lists unknown fields without validating them', () => {
    const { unknownFields } = parseBlooioPayload({ ...base, device_id: 7, extra: { a: [1] } }, now);

    expect(unknownFields).toEqual(['device_id', 'extra']);
  });

  it('accepts a status event without external_id', () => {
    const status: Record<string, unknown> = { ...base, event: 'message.delivered' };

    delete status.external_id;

    expect(parseBlooioPayload(status, now).event.externalId).toBeUndefined();
  });

  it.each([null, [], 'text', 5])('rejects the body %j', (payload) => {
    expect(errorOf(payload).code).toBe('invalid_payload');
  });

  it('lists every invalid field', () => {
    const error = errorOf({ ...base, message_id: 5, text: {}, is_group: 'yes' });

    expect(error.details).toEqual(
      expect.arrayContaining([
        'message_id must be a string',
        'text must be a string',
        'is_group must be a boolean value',
      ]),
    );
  });

  it.each(['batch\ud812y', 'msg\u0000'])('rejects the message id %j', (messageId) => {
    expect(errorOf({ ...base, message_id: messageId }).details).toEqual([
      'message_id must be text without control characters or lone surrogates',
    ]);
  });

  it('ignores an inherited __proto__ field', () => {
    const payload = JSON.parse(
      '{"__proto__": {"event": 1}, "event": "message.read", "message_id": "m", "internal_id": "x"}',
    ) as unknown;

    expect(parseBlooioPayload(payload, now).event.type).toBe('message.read');
  });
});

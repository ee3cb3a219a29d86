import { createHmac } from 'node:crypto';

import {
  computeSignature,
  hasMatchingSignature,
  isTimestampFresh,
  parseSignatureHeader,
} from './blooio-signature';
import type { SignatureHeader } from './blooio-signature';

const secret = 'whsec_test_secret';
const body = Buffer.from('{"event":"message.received"}');

function hex(timestamp: number, payload: Buffer, key = secret): string {
  return createHmac('sha256', key)
    .update(`${timestamp}.${payload.toString('utf8')}`)
    .digest('hex');
}

function parsed(value: string): SignatureHeader {
  const header = parseSignatureHeader(value);

  if (!header) {
    throw new Error(`Test header did not parse: ${value}`);
  }

  return header;
}

describe('parseSignatureHeader', () => {
  it('reads the timestamp and a v1 signature', () => {
    const signature = hex(1700000000, body);
    const header = parseSignatureHeader(`t=1700000000,v1=${signature}`);

    expect(header?.timestamp).toBe(1700000000);
    expect(header?.signatures.map((s) => s.toString('hex'))).toEqual([signature]);
  });

  it('keeps every v1 entry and ignores unknown schemes', () => {
    const header = parseSignatureHeader(
      `t=1, v0=abc, v1=${'a'.repeat(64)}, v2=${'b'.repeat(64)}, v1=${'C'.repeat(64)}`,
    );

    expect(header?.signatures).toHaveLength(2);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['no timestamp', `v1=${'a'.repeat(64)}`],
    ['no signature', 't=1700000000'],
    ['two timestamps', `t=1,t=2,v1=${'a'.repeat(64)}`],
    ['non-numeric timestamp', `t=abc,v1=${'a'.repeat(64)}`],
    ['negative timestamp', `t=-5,v1=${'a'.repeat(64)}`],
    ['exponent timestamp', `t=1e9,v1=${'a'.repeat(64)}`],
    ['short signature', `t=1,v1=${'a'.repeat(63)}`],
    ['long signature', `t=1,v1=${'a'.repeat(66)}`],
    ['non-hex signature', `t=1,v1=${'g'.repeat(64)}`],
    ['oversized header', `t=1,v1=${'a'.repeat(64)},${'x'.repeat(3000)}`],
    ['no separators', 'garbage'],
  ])('rejects a header with %s', (_, value) => {
    expect(parseSignatureHeader(value)).toBeUndefined();
  });
});

describe('isTimestampFresh', () => {
  const nowMs = 1_700_000_000_000;

  it.each([
    [1_700_000_000, true],
    [1_700_000_000 - 300, true],
    [1_700_000_000 + 300, true],
    [1_700_000_000 - 301, false],
    [1_700_000_000 + 301, false],
  ])('judges t=%i', (timestamp, expected) => {
    expect(isTimestampFresh(timestamp, nowMs, 300)).toBe(expected);
  });
});

describe('computeSignature', () => {
  // Expected values computed with: printf '<t>.<body>' | openssl dgst -sha256 -hmac whsec_test_secret
  it.each([
    [
      '{"event":"message.received"}',
      'a32daafdacc3155d7c8263461369d923f61828ef8099126f1672557a77f2ba38',
    ],
    [
      '{"event":"message.received","text":"café 👋"}',
      'fff78a6a26ae30d02d4535a87e9314328fa1705c5546d12b47d62f240ef96759',
    ],
  ])('matches the openssl vector for %s', (payload, expected) => {
    expect(computeSignature(secret, 1700000000, Buffer.from(payload, 'utf8')).toString('hex')).toBe(
      expected,
    );
  });
});

describe('hasMatchingSignature', () => {
  it('accepts any matching v1 entry', () => {
    const header = parsed(`t=1700000000,v1=${'0'.repeat(64)},v1=${hex(1700000000, body)}`);

    expect(hasMatchingSignature(secret, header, body)).toBe(true);
  });

  it('rejects another secret', () => {
    const header = parsed(`t=1700000000,v1=${hex(1700000000, body, 'whsec_other')}`);

    expect(hasMatchingSignature(secret, header, body)).toBe(false);
  });

  it('rejects another timestamp', () => {
    const header = parsed(`t=1700000001,v1=${hex(1700000000, body)}`);

    expect(hasMatchingSignature(secret, header, body)).toBe(false);
  });

  it('rejects a changed body', () => {
    const header = parsed(`t=1700000000,v1=${hex(1700000000, body)}`);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));

    expect(hasMatchingSignature(secret, header, reserialised)).toBe(false);
  });
});

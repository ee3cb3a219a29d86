import { createHmac, timingSafeEqual } from 'node:crypto';

/** The parts of a `t=<unix seconds>,v1=<hex>[,v1=<hex>…]` signature header that we use. */
export interface SignatureHeader {
  /** Unix time in seconds at which Blooio signed the request. */
  timestamp: number;
  /** The decoded `v1` signatures that have the length of an HMAC-SHA256 digest. */
  signatures: Buffer[];
}

const maxHeaderLength = 2048;
const digestBytes = 32;
const timestampPattern = /^\d{1,12}$/;
const hexPattern = /^[0-9a-fA-F]+$/;

/**
 * Parses a Blooio signature header. Unknown schemes are ignored and `v1` entries of the wrong length
 * or with non-hex characters are skipped, so they fail as a mismatch rather than an error. Returns
 * undefined when there is no single valid `t` or no usable `v1` entry.
 */
export function parseSignatureHeader(value: string | undefined): SignatureHeader | undefined {
  if (!value || value.length > maxHeaderLength) {
    return undefined;
  }

  const timestamps: string[] = [];
  const signatures: Buffer[] = [];

  for (const part of value.split(',')) {
    const separator = part.indexOf('=');

    if (separator < 0) {
      continue;
    }

    const scheme = part.slice(0, separator).trim();
    const content = part.slice(separator + 1).trim();

    if (scheme === 't') {
      timestamps.push(content);
    } else if (scheme === 'v1' && content.length === digestBytes * 2 && hexPattern.test(content)) {
      signatures.push(Buffer.from(content, 'hex'));
    }
  }

  const [timestamp] = timestamps;

  if (timestamps.length !== 1 || !timestampPattern.test(timestamp) || signatures.length === 0) {
    return undefined;
  }

  return { timestamp: Number(timestamp), signatures };
}

/** Tells whether a signature timestamp lies within the tolerance of now, in the past or the future. */
export function isTimestampFresh(
  timestampSeconds: number,
  nowMs: number,
  toleranceSeconds: number,
): boolean {
  return Math.abs(nowMs / 1000 - timestampSeconds) <= toleranceSeconds;
}

/** Computes the HMAC-SHA256 of `<t>.<raw body>` keyed with the whole `whsec_…` secret. */
export function computeSignature(
  secret: string,
  timestampSeconds: number,
  rawBody: Buffer,
): Buffer {
  return createHmac('sha256', secret).update(`${timestampSeconds}.`).update(rawBody).digest();
}

/** Tells whether any of the presented signatures matches the one computed with this secret, in constant time. */
export function hasMatchingSignature(
  secret: string,
  header: SignatureHeader,
  rawBody: Buffer,
): boolean {
  const expected = computeSignature(secret, header.timestamp, rawBody);
  let isMatch = false;

  // Every candidate is compared, so the time taken does not depend on which one matched.
  for (const candidate of header.signatures) {
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) {
      isMatch = true;
    }
  }

  return isMatch;
}

import { createHmac } from 'node:crypto';

import type { PinoLogger } from 'nestjs-pino';

import { SecretBox } from '../../common/crypto/secret-box';
import { loadConfig } from '../../config/load-config';
import type { TenantDatabase, TenantTransaction } from '../../database/tenant-database';
import type { ResolvedTenant, TenantResolver } from '../../database/tenant-resolver';
import type { StoredSigningSecrets, WebhookTenantRepository } from '../webhook-tenant.repository';
import { parseSignatureHeader } from './blooio-signature';
import type { SignatureHeader } from './blooio-signature';
import { BlooioSigningKeys } from './blooio-signing-keys';

const tenantId = '11111111-1111-4111-8111-111111111111';
const number = '+14155550100';
const body = Buffer.from('{"event":"message.received"}');
const box = new SecretBox(Buffer.alloc(32, 5));

function headerSignedWith(secret: string): SignatureHeader {
  const timestamp = Math.floor(Date.now() / 1000);
  const hex = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');

  return parseSignatureHeader(`t=${timestamp},v1=${hex}`) as SignatureHeader;
}

function sealed(
  current: string,
  previous?: string,
  previousExpiresAt?: Date,
): StoredSigningSecrets {
  return {
    currentCiphertext: box.encrypt(current, tenantId),
    previousCiphertext: previous ? box.encrypt(previous, tenantId) : null,
    previousExpiresAt: previousExpiresAt ?? null,
  };
}

describe(BlooioSigningKeys.name, () => {
  let resolved: ResolvedTenant | null;
  let stored: StoredSigningSecrets | null;
  let lookups: jest.Mock;
  let loads: jest.Mock;
  let logger: { setContext: jest.Mock; warn: jest.Mock; error: jest.Mock };
  let keys: BlooioSigningKeys;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-12-04T12:00:00Z') });
    resolved = { tenantId, status: 'active' };
    stored = sealed('whsec_current');
    lookups = jest.fn(() => Promise.resolve(resolved));
    loads = jest.fn(() =>
      Promise.resolve(
        stored ? { defaultRegion: 'GB', secrets: stored } : { defaultRegion: 'GB', secrets: null },
      ),
    );
    logger = { setContext: jest.fn(), warn: jest.fn(), error: jest.fn() };

    const db = {
      transaction: (_: string, work: (tx: TenantTransaction) => Promise<unknown>) =>
        work({} as TenantTransaction),
    } as unknown as TenantDatabase;

    keys = new BlooioSigningKeys(
      { byReceivingNumber: lookups } as unknown as TenantResolver,
      db,
      { findSettings: loads } as unknown as WebhookTenantRepository,
      box,
      loadConfig({}),
      logger as unknown as PinoLogger,
    );
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('verifies the current secret', async () => {
    const result = await keys.authenticate(number, headerSignedWith('whsec_current'), body);

    expect(result.tenant).toMatchObject({ tenantId, defaultRegion: 'GB' });
  });

  it('loads a number once in the first four fifths of the TTL', async () => {
    await keys.authenticate(number, headerSignedWith('whsec_current'), body);
    jest.advanceTimersByTime(23_999);
    await keys.authenticate(number, headerSignedWith('whsec_current'), body);

    expect(lookups).toHaveBeenCalledTimes(1);
    expect(loads).toHaveBeenCalledTimes(1);
  });

  it('caches an unknown number', async () => {
    resolved = null;

    const first = await keys.authenticate(number, headerSignedWith('whsec_current'), body);
    const second = await keys.authenticate(number, headerSignedWith('whsec_current'), body);

    expect(first.reason).toBe('unknown_number');
    expect(second.reason).toBe('unknown_number');
    expect(lookups).toHaveBeenCalledTimes(1);
  });

  it('rejects a suspended tenant without checking the signature', async () => {
    resolved = { tenantId, status: 'suspended' };

    const result = await keys.authenticate(number, headerSignedWith('whsec_current'), body);

    expect(result).toEqual({ reason: 'tenant_suspended', tenantId });
  });

  it('reloads at most once per refresh interval on mismatch', async () => {
    await keys.authenticate(number, headerSignedWith('whsec_current'), body);
    jest.advanceTimersByTime(5000);

    const forged = headerSignedWith('whsec_forged');

    await keys.authenticate(number, forged, body);
    await keys.authenticate(number, forged, body);
    await keys.authenticate(number, forged, body);

    expect(lookups).toHaveBeenCalledTimes(2);
  });

  it('picks up a rotated secret after a mismatch', async () => {
    await keys.authenticate(number, headerSignedWith('whsec_current'), body);
    stored = sealed('whsec_new', 'whsec_current', new Date(Date.now() + 60_000));
    jest.advanceTimersByTime(5000);

    const rotated = await keys.authenticate(number, headerSignedWith('whsec_new'), body);
    const previous = await keys.authenticate(number, headerSignedWith('whsec_current'), body);

    expect(rotated.tenant?.tenantId).toBe(tenantId);
    expect(previous.tenant?.tenantId).toBe(tenantId);
  });

  it('stops accepting the previous secret when it expires', async () => {
    stored = sealed('whsec_new', 'whsec_old', new Date(Date.now() + 10_000));

    expect(
      (await keys.authenticate(number, headerSignedWith('whsec_old'), body)).tenant,
    ).toBeDefined();

    jest.advanceTimersByTime(10_001);

    expect((await keys.authenticate(number, headerSignedWith('whsec_old'), body)).reason).toBe(
      'signature_mismatch',
    );
  });

  it('ignores an already expired previous secret', async () => {
    stored = sealed('whsec_new', 'whsec_old', new Date(Date.now() - 1));

    const result = await keys.authenticate(number, headerSignedWith('whsec_old'), body);

    expect(result.reason).toBe('signature_mismatch');
  });

  it('logs a secret that fails to decrypt', async () => {
    stored = { ...sealed('whsec_current'), currentCiphertext: 'v1.bad.bad.bad' };

    const result = await keys.authenticate(number, headerSignedWith('whsec_current'), body);

    expect(result.reason).toBe('signature_mismatch');
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({ tenantId, which: 'current' }),
      expect.stringMatching(/decrypt/),
    );
  });

  it('warns about a tenant without a secret', async () => {
    stored = null;

    const result = await keys.authenticate(number, headerSignedWith('whsec_current'), body);

    expect(result.reason).toBe('signature_mismatch');
    expect(logger.warn).toHaveBeenCalledWith(
      { tenantId },
      expect.stringMatching(/no Blooio signing secret/),
    );
  });
});

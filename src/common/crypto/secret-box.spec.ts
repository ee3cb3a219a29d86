import { SecretBox } from './secret-box';

const tenantA = '11111111-1111-4111-8111-111111111111';
const tenantB = '22222222-2222-4222-8222-222222222222';

describe(SecretBox.name, () => {
  const box = new SecretBox(Buffer.alloc(32, 3));

  it('round-trips a secret', () => {
    const sealed = box.encrypt('whsec_abc', tenantA);

    expect(sealed).not.toContain('whsec_abc');
    expect(box.decrypt(sealed, tenantA)).toBe('whsec_abc');
  });

  it('uses a fresh IV each time', () => {
    expect(box.encrypt('same', tenantA)).not.toBe(box.encrypt('same', tenantA));
  });

  it('rejects a ciphertext moved to another tenant', () => {
    const sealed = box.encrypt('whsec_abc', tenantA);

    expect(() => box.decrypt(sealed, tenantB)).toThrow();
  });

  it('rejects a tampered ciphertext', () => {
    const sealed = box.encrypt('whsec_abc', tenantA);
    const parts = sealed.split('.');
    const tampered = [...parts.slice(0, 3), Buffer.from('whsec_abd').toString('base64url')].join(
      '.',
    );

    expect(() => box.decrypt(tampered, tenantA)).toThrow();
  });

  it('rejects another key', () => {
    const sealed = box.encrypt('whsec_abc', tenantA);

    expect(() => new SecretBox(Buffer.alloc(32, 4)).decrypt(sealed, tenantA)).toThrow();
  });
});

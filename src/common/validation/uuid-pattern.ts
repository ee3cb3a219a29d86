/**
 * A UUID in its canonical text form (8-4-4-4-12 hex digits), of any version. class-validator's
 * isUUID also checks the version and variant digits, which ids written by hand in tests and logs
 * need not have.
 */
export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

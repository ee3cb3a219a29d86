const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections.
  '57P01',
  '57P02',
  '57P03',
  '53300',
  // Prisma: cannot reach the server, timed out, socket timeout, connection closed, pool timeout.
  'P1001',
  'P1002',
  'P1008',
  'P1017',
  'P2024',
]);

// The driver adapter's names for the same conditions, kept on a raw query's error as
// meta.driverAdapterError.cause.kind.
const unavailableKinds = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);

const unavailableMessages = [
  /Connection terminated/i,
  /connect ECONNREFUSED/i,
  /timeout exceeded when trying to connect/i,
  /Can't reach database server/i,
  /Unable to start a transaction in the given time/i,
  /Transaction API error: Unable to start a transaction/i,
  /Client has encountered a connection error/i,
  /Connection terminated unexpectedly/i,
  /Query read timeout/i,
  // PostgreSQL 57014: canceling statement due to statement timeout.
  /statement timeout/i,
];

interface ErrorLike {
  code?: unknown;
  originalCode?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
}

function isUnavailableCode(value: unknown): boolean {
  return typeof value === 'string' && unavailableCodes.has(value);
}

/**
 * Tells whether an error means PostgreSQL is unreachable, walking the cause chain of driver errors
 * and the driver adapter's error that Prisma keeps on a failed raw query.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) {
    return false;
  }

  const candidate = error as ErrorLike;

  if (
    isUnavailableCode(candidate.code) ||
    isUnavailableCode(candidate.originalCode) ||
    (typeof candidate.kind === 'string' && unavailableKinds.has(candidate.kind))
  ) {
    return true;
  }

  if (
    typeof candidate.message === 'string' &&
    unavailableMessages.some((re) => re.test(candidate.message as string))
  ) {
    return true;
  }

  return (
    isDatabaseUnavailable(candidate.cause, depth + 1) ||
    isDatabaseUnavailable(candidate.meta?.driverAdapterError, depth + 1)
  );
}

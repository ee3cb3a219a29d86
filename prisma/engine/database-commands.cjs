'use strict';

const { runStatement, withDatabase } = require('./pg-adapter.cjs');

/** An error with a Prisma error code (P1000, P1003, ...), which the CLI shows to the user as is. */
class UserFacingError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'UserFacingError';
    this.code = code;
  }
}

function describeServer(url) {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || '5432'}`;
}

function databaseName(url) {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** Converts a pg connection error to the Prisma error the native engine returns for it. */
function toUserFacingError(error, url) {
  const server = describeServer(url);
  switch (error.code) {
    case '3D000':
      return new UserFacingError('P1003', `Database \`${databaseName(url)}\` does not exist on the database server at \`${server}\`.`);
    case '42P04':
      return new UserFacingError('P1009', `Database \`${databaseName(url)}\` already exists on the database server at \`${server}\``);
    case '28P01':
    case '28000':
      return new UserFacingError(
        'P1000',
        `Authentication failed against database server at \`${server}\`, the provided database credentials for \`${decodeURIComponent(new URL(url).username)}\` are not valid.`,
      );
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
      return new UserFacingError('P1001', `Can't reach database server at \`${server}\`.`);
    default:
      return error;
  }
}

/** Connects to the database of `url` and runs `SELECT 1`, throwing a UserFacingError on failure. */
async function checkConnection(url) {
  try {
    await runStatement(url, 'SELECT 1');
  } catch (error) {
    throw toUserFacingError(error, url);
  }
}

/**
 * Creates the database named in `url`, connecting through the `postgres` maintenance database.
 * Returns the name of the created database.
 */
async function createDatabase(url) {
  const name = databaseName(url);
  if (!name) {
    throw new Error('Invalid database URL: it names no database to create.');
  }
  try {
    await runStatement(withDatabase(url, 'postgres'), `CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } catch (error) {
    throw toUserFacingError(error, url);
  }
  return name;
}

module.exports = { checkConnection, createDatabase, UserFacingError };

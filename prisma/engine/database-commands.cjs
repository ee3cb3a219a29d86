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
      return new UserFacingError(
        'P1003',
        `Database \`${databaseName(url)}\` does not exist on the database server at \`${server}\`.`,
      );
    case '42P04':
      return new UserFacingError(
        'P1009',
        `Database \`${databaseName(url)}\` already exists on the database server at \`${server}\``,
      );
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
    await runStatement(
      withDatabase(url, 'postgres'),
      `CREATE DATABASE "${name.replaceAll('"', '""')}"`,
    );
  } catch (error) {
    throw toUserFacingError(error, url);
  }
  return name;
}

/** Writes one log line in the JSON format of the native engine, which the CLI parses from stderr. */
function writeLog(level, fields) {
  process.stderr.write(`${JSON.stringify({ level, fields, target: 'schema_engine::logger' })}\n`);
}

/**
 * Runs `cli can-connect-to-database` or `cli create-database`. The CLI skips the first stderr
 * line, parses the others as JSON, and reads a failure from the ERROR line's error_code and message.
 */
async function runCliCommand(command, url) {
  writeLog('INFO', { message: `Starting schema engine CLI command: ${command}` });
  try {
    if (!url) {
      throw new Error('Missing database URL: pass --datasource {"url": ...}.');
    }
    if (command === 'can-connect-to-database') {
      await checkConnection(url);
    } else if (command === 'create-database') {
      const name = await createDatabase(url);
      writeLog('INFO', { message: `Database '${name}' was successfully created.` });
    } else {
      throw new Error(
        `Unknown CLI command: ${command}. Expected can-connect-to-database or create-database.`,
      );
    }
  } catch (error) {
    writeLog('ERROR', {
      message: error.message,
      error_code: error instanceof UserFacingError ? error.code : undefined,
    });
    process.exitCode = 1;
  }
}

module.exports = { createDatabase, runCliCommand, UserFacingError, writeLog };

import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** A migration folder of prisma/migrations. */
export interface MigrationFile {
  name: string;
  /** The checksums Prisma accepts for it; see acceptedChecksums. */
  checksums: string[];
}

export class MigrationsDirectoryError extends Error {
  override readonly name = 'MigrationsDirectoryError';
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Returns the checksums under which Prisma's schema engine treats migration.sql as unchanged (see
 * checksum.rs in prisma-engines). They are the SHA-256 of the file as it is, with CRLF turned into
 * LF, and with LF turned into CRLF, so a checkout with other line endings is not reported as edited.
 */
export function acceptedChecksums(sql: string): string[] {
  return [sha256(sql), sha256(sql.replaceAll('\r\n', '\n')), sha256(sql.replaceAll('\n', '\r\n'))];
}

/** Reads every folder of the migrations directory that contains a migration.sql, in name order. */
export async function readMigrationFiles(directory: string): Promise<MigrationFile[]> {
  let entries;

  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    throw new MigrationsDirectoryError(
      `Cannot read the migrations directory ${directory}: ${(error as Error).message}. ` +
        'Pass --migrations-dir with the path of prisma/migrations.',
    );
  }

  const folders = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const files: MigrationFile[] = [];

  for (const name of folders) {
    const sql = await readFile(path.join(directory, name, 'migration.sql'), 'utf8').catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') {
          return null;
        }

        throw error;
      },
    );

    if (sql !== null) {
      files.push({ name, checksums: acceptedChecksums(sql) });
    }
  }

  return files;
}

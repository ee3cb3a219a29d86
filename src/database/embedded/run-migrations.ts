import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** Runs `prisma migrate deploy` through the project's migrate script against the given owner URL. */
export async function runMigrations(ownerUrl: string): Promise<void> {
  const script = resolve('prisma', 'migrate.cjs');

  await new Promise<void>((done, fail) => {
    const child = spawn(process.execPath, [script, 'migrate', 'deploy'], {
      env: { ...process.env, MIGRATION_DATABASE_URL: ownerUrl },
      stdio: ['ignore', 'inherit', 'inherit'],
    });

    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`Migrations failed with exit code ${code}`)),
    );
  });
}

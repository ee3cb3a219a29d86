import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

import type { CliIo } from '../../src/cli/cli-io';
import { createCli } from '../../src/cli/create-cli';
import { testConfig, testEncryptionKey } from './create-test-app';
import { appDatabaseUrl } from './test-database';

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * Runs one CLI command in this process on a fresh Nest application context, as src/cli/main.ts
 * does, with stdin given as a string and stdout and stderr captured.
 */
export async function runCli(
  args: string[],
  options: { stdin?: string; defaultActor?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const result: CliResult = { stdout: '', stderr: '', exitCode: 0 };
  const io: CliIo = {
    out: (text) => (result.stdout += text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => (result.stderr += text.endsWith('\n') ? text : `${text}\n`),
    readSecret: () => Promise.resolve(options.stdin ?? ''),
    setExitCode: (code) => (result.exitCode = code),
  };
  const cli = await createCli(testConfig(options.env), {
    io,
    defaultActor: options.defaultActor ?? 'test-operator',
  });

  try {
    await cli.run(args);
  } finally {
    await cli.app.close();
  }

  return result;
}

/** Runs `npm run -s cli -- <args>` as a child process against the test database. */
export function runCliProcess(
  args: string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn('npm', ['run', '-s', 'cli', '--', ...args], {
      cwd: resolve(__dirname, '../..'),
      env: {
        ...process.env,
        DATABASE_URL: appDatabaseUrl,
        APP_ENCRYPTION_KEY: testEncryptionKey.toString('base64'),
        LOG_LEVEL: 'info',
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const result: CliResult = { stdout: '', stderr: '', exitCode: -1 };

    child.stdout.on('data', (chunk: Buffer) => (result.stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (result.stderr += chunk.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code) => done({ ...result, exitCode: code ?? -1 }));
    child.stdin.end(options.stdin ?? '');
  });
}

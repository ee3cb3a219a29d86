import { InvalidAdminInputError } from '../admin/admin.errors';

/** The CLI's terminal: results go to stdout, notes and errors to stderr, secrets come from stdin. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Reads a secret piped on stdin, so it never appears in shell history or the process list. */
  readSecret(): Promise<string>;
  setExitCode(code: number): void;
}

export const CLI_IO = Symbol('CLI_IO');
export const CLI_DEFAULT_ACTOR = Symbol('CLI_DEFAULT_ACTOR');

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new InvalidAdminInputError(
      'Pipe the secret on stdin, e.g. printf %s "$SECRET" | npm run -s cli -- secret set <tenant>',
    );
  }

  const chunks: Buffer[] = [];

  for await (const chunk of process.stdin) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }

  return Buffer.concat(chunks).toString('utf8');
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  readSecret: readStdin,
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

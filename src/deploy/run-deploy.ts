import { ConfigError } from '../config/validate-variables';
import { CoolifyClient } from './coolify-client';
import { parseDeployOptions } from './deploy-options';
import { probeHealth } from './health-probe';
import { Release } from './release';
import { exitCodeFor } from './release-types';
import type { DeployLog } from './release-types';
import { runCommand } from './run-command';
import { NoAlert, TelegramAlert } from './telegram-alert';

/** Exit status for a command-line usage error (sysexits EX_USAGE). */
export const usageExitCode = 64;

/**
 * Writes timestamped lines to stderr. In GitHub Actions, errors also become annotations through
 * the `::error::` workflow command.
 */
export function consoleLog(env: NodeJS.ProcessEnv): DeployLog {
  const write = (line: string): boolean =>
    process.stderr.write(`${new Date().toISOString()} ${line}\n`);

  return {
    info: (message) => write(message),
    error: (message) =>
      env.GITHUB_ACTIONS === 'true'
        ? process.stderr.write(`::error::${message.replace(/\r?\n/g, ' ')}\n`)
        : write(`ERROR ${message}`),
  };
}

/** Runs one release from command-line arguments and environment variables; returns the exit status. */
export async function runDeploy(
  argv: string[],
  env: NodeJS.ProcessEnv,
  log: DeployLog = consoleLog(env),
): Promise<number> {
  let options;

  try {
    options = parseDeployOptions(argv, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      log.error(error.message);

      return usageExitCode;
    }

    throw error;
  }

  const { settings, coolify, telegram } = options;
  const alert = telegram
    ? new TelegramAlert(
        telegram.apiUrl,
        telegram.botToken,
        telegram.chatId,
        settings.requestTimeoutMs,
      )
    : new NoAlert();

  if (!telegram) {
    log.info('TELEGRAM_BOT_TOKEN is not set: failures are reported in this log only');
  }

  log.info(
    `Deploying ${settings.tag} (commit ${settings.commit}) to application ${settings.applicationUuid}`,
  );

  const outcome = await new Release(settings, {
    coolify: new CoolifyClient(coolify.apiUrl, coolify.token, settings.requestTimeoutMs),
    alert,
    log,
    runCommand,
    probeHealth,
  }).run();

  return exitCodeFor(outcome);
}

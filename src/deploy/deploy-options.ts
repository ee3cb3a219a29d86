import { parseArgs } from 'node:util';

import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';

import { ConfigError, validateVariables } from '../config/validate-variables';
import type { ReleaseSettings } from './release-types';

const httpUrl = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

/** A whole number of milliseconds between `min` and `max`, read from a string variable. */
function Milliseconds(min: number, max: number): PropertyDecorator {
  return (target, property) => {
    for (const decorate of [Transform(({ value }) => Number(value)), IsInt(), Min(min), Max(max)]) {
      decorate(target, property);
    }
  };
}

/** The environment variables of the deploy command, validated once at start. */
export class DeployEnvironment {
  @IsUrl(httpUrl, { message: 'COOLIFY_API_URL must be the http(s) URL of the Coolify instance' })
  COOLIFY_API_URL: string;

  @IsString({ message: 'COOLIFY_API_TOKEN must be set to a Coolify API token' })
  COOLIFY_API_TOKEN: string;

  @Matches(/^[A-Za-z0-9_-]{1,64}$/, {
    message: 'COOLIFY_APP_UUID must be the Coolify application uuid',
  })
  COOLIFY_APP_UUID: string;

  @IsUrl(httpUrl, { message: 'DEPLOY_HEALTH_URL must be the public http(s) URL of /health/ready' })
  DEPLOY_HEALTH_URL: string;

  @IsOptional()
  @IsString()
  DEPLOY_MIGRATE_COMMAND?: string;

  @Milliseconds(1000, 3_600_000)
  DEPLOY_MIGRATE_TIMEOUT_MS = 600_000;

  @Milliseconds(100, 3_600_000)
  DEPLOY_TIMEOUT_MS = 600_000;

  @Milliseconds(100, 3_600_000)
  DEPLOY_ROLLBACK_TIMEOUT_MS = 600_000;

  @Milliseconds(10, 60_000)
  DEPLOY_POLL_INTERVAL_MS = 5000;

  @Milliseconds(100, 120_000)
  DEPLOY_REQUEST_TIMEOUT_MS = 10_000;

  @IsOptional()
  @IsString()
  TELEGRAM_BOT_TOKEN?: string;

  @IsOptional()
  @IsString()
  TELEGRAM_CHAT_ID?: string;

  @IsUrl(httpUrl, { message: 'TELEGRAM_API_URL must be an http(s) URL' })
  TELEGRAM_API_URL = 'https://api.telegram.org';
}

export interface DeployOptions {
  settings: ReleaseSettings;
  coolify: { apiUrl: string; token: string };
  telegram?: { apiUrl: string; botToken: string; chatId: string };
}

export const usage = `Usage: node dist/deploy/main.js --tag <image tag> [--commit <sha>]

Deploys the image tag through Coolify, waits until DEPLOY_HEALTH_URL reports the commit, and
otherwise redeploys the previous tag and sends an alert.
  --tag     image tag to deploy (the deploy workflow pushes one per commit SHA)
  --commit  commit the release must report on /health/ready (default: the tag)
Exit status: 0 released, 1 not deployed or rolled back, 2 production needs attention, 64 usage.`;

/** Reads the command line and environment; throws ConfigError naming what is missing or invalid. */
export function parseDeployOptions(argv: string[], env: NodeJS.ProcessEnv): DeployOptions {
  let values: { tag?: string; commit?: string };

  try {
    ({ values } = parseArgs({
      args: argv,
      options: { tag: { type: 'string' }, commit: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw new ConfigError(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  }

  if (!values.tag || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(values.tag)) {
    throw new ConfigError(`--tag is missing or not a valid image tag\n${usage}`);
  }

  const variables = validateVariables(DeployEnvironment, env);

  if (Boolean(variables.TELEGRAM_BOT_TOKEN) !== Boolean(variables.TELEGRAM_CHAT_ID)) {
    throw new ConfigError(
      'Invalid configuration:\n  TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID must be set together',
    );
  }

  return {
    settings: {
      applicationUuid: variables.COOLIFY_APP_UUID,
      tag: values.tag,
      commit: values.commit ?? values.tag,
      healthUrl: variables.DEPLOY_HEALTH_URL,
      timeoutMs: variables.DEPLOY_TIMEOUT_MS,
      rollbackTimeoutMs: variables.DEPLOY_ROLLBACK_TIMEOUT_MS,
      pollIntervalMs: variables.DEPLOY_POLL_INTERVAL_MS,
      requestTimeoutMs: variables.DEPLOY_REQUEST_TIMEOUT_MS,
      migrateCommand: variables.DEPLOY_MIGRATE_COMMAND,
      migrateTimeoutMs: variables.DEPLOY_MIGRATE_TIMEOUT_MS,
    },
    coolify: { apiUrl: variables.COOLIFY_API_URL, token: variables.COOLIFY_API_TOKEN },
    telegram:
      variables.TELEGRAM_BOT_TOKEN && variables.TELEGRAM_CHAT_ID
        ? {
            apiUrl: variables.TELEGRAM_API_URL,
            botToken: variables.TELEGRAM_BOT_TOKEN,
            chatId: variables.TELEGRAM_CHAT_ID,
          }
        : undefined,
  };
}

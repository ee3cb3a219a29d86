import type {
  DeployLog,
  ReleaseDependencies,
  ReleaseOutcome,
  ReleaseSettings,
} from './release-types';
import { ReleaseVerifier, expectCommit, expectRollback } from './release-verifier';

/**
 * Deploys an image tag through Coolify and proves it healthy, or puts the previous tag back.
 * Steps: read the current tag, run the migration command, set the new tag, queue a deployment,
 * then poll the deployment and /health/ready until it reports the new commit. On a failed deployment,
 * a timeout or the wrong commit it sets the previous tag, deploys it and waits for it to be healthy.
 * Every outcome except `released` sends an alert.
 */
export class Release {
  private readonly verifier: ReleaseVerifier;
  private readonly log: DeployLog;

  constructor(
    private readonly settings: ReleaseSettings,
    private readonly deps: ReleaseDependencies,
  ) {
    this.verifier = new ReleaseVerifier(settings, deps);
    this.log = deps.log;
  }

  async run(): Promise<ReleaseOutcome> {
    const outcome = await this.deployAndVerify();

    if (outcome.kind === 'released') {
      this.log.info(outcome.message);
    } else {
      this.log.error(outcome.message);
      await this.sendAlert(outcome);
    }

    return outcome;
  }

  private async deployAndVerify(): Promise<ReleaseOutcome> {
    const { tag, commit, timeoutMs } = this.settings;
    const previousTag = await this.readCurrentTag();

    if (typeof previousTag !== 'string') {
      return previousTag;
    }

    const migrationFailure = await this.migrate();

    if (migrationFailure) {
      return this.notDeployed(
        `${migrationFailure}; the image tag was not changed. A failed migration can be partly applied: check it with \`node prisma/migrate.cjs migrate status\``,
      );
    }

    const deploymentUuid = await this.startDeployment(tag, previousTag);

    if (typeof deploymentUuid !== 'string') {
      return deploymentUuid;
    }

    const failure = await this.verifier.waitUntilHealthy(
      deploymentUuid,
      expectCommit(commit),
      timeoutMs,
    );

    if (failure) {
      return this.rollBack(previousTag, failure);
    }

    return {
      kind: 'released',
      message: `Released ${tag}: /health/ready reports commit ${commit}`,
    };
  }

  private async readCurrentTag(): Promise<string | ReleaseOutcome> {
    const { applicationUuid } = this.settings;

    try {
      const application = await this.deps.coolify.getApplication(applicationUuid);

      if (!application.imageTag) {
        return this.notDeployed(
          `application ${applicationUuid} has no docker_registry_image_tag in Coolify, so there would be no tag to roll back to; set one in Coolify first`,
        );
      }

      this.log.info(
        `Current tag: ${application.imageTag} (image ${application.imageName ?? 'not set'})`,
      );

      return application.imageTag;
    } catch (error) {
      return this.notDeployed(`reading the application from Coolify failed: ${messageOf(error)}`);
    }
  }

  /** Runs the migration command, if any; returns why it failed, or undefined. */
  private async migrate(): Promise<string | undefined> {
    const { migrateCommand, migrateTimeoutMs } = this.settings;

    if (!migrateCommand) {
      this.log.info('DEPLOY_MIGRATE_COMMAND is not set; skipping the migration step');

      return undefined;
    }

    this.log.info('Running the migration command');

    try {
      const result = await this.deps.runCommand(migrateCommand, migrateTimeoutMs);

      if (result.timedOut) {
        return `the migration command timed out after ${migrateTimeoutMs} ms`;
      }

      if (result.exitCode !== 0) {
        const cause = result.signal ? `signal ${result.signal}` : `exit code ${result.exitCode}`;

        return `the migration command failed with ${cause}`;
      }
    } catch (error) {
      return `the migration command could not start: ${messageOf(error)}`;
    }

    this.log.info('Migrations applied');

    return undefined;
  }

  /** Sets the new tag and queues its deployment; on an API error puts the previous tag back. */
  private async startDeployment(
    tag: string,
    previousTag: string,
  ): Promise<string | ReleaseOutcome> {
    const { applicationUuid } = this.settings;
    let step = `setting the image tag to ${tag}`;

    try {
      await this.deps.coolify.setImageTag(applicationUuid, tag);
      step = `queueing the deployment of ${tag}`;

      const deploymentUuid = await this.deps.coolify.deploy(applicationUuid);

      this.log.info(`Deployment ${deploymentUuid} of ${tag} queued`);

      return deploymentUuid;
    } catch (error) {
      const failure = `${step} failed: ${messageOf(error)}`;

      try {
        await this.deps.coolify.setImageTag(applicationUuid, previousTag);
      } catch (restoreError) {
        return this.needsAttention(
          `${failure}, and setting the tag back to ${previousTag} failed too (${messageOf(restoreError)}). Coolify may hold tag ${tag} without a verified deployment: set ${previousTag} in Coolify by hand before its next deployment or restart`,
        );
      }

      return this.notDeployed(
        `${failure}; nothing was deployed and the tag is back at ${previousTag}`,
      );
    }
  }

  private async rollBack(previousTag: string, reason: string): Promise<ReleaseOutcome> {
    const { applicationUuid, tag, commit, rollbackTimeoutMs } = this.settings;
    const failed = `release ${tag} failed (${reason})`;

    this.log.error(`Release ${tag} failed: ${reason}. Rolling back to ${previousTag}`);

    if (previousTag === tag) {
      return this.needsAttention(
        `${failed}, and it was already the current tag, so there is no earlier tag to roll back to`,
      );
    }

    try {
      await this.deps.coolify.setImageTag(applicationUuid, previousTag);

      const deploymentUuid = await this.deps.coolify.deploy(applicationUuid);

      this.log.info(`Rollback deployment ${deploymentUuid} of ${previousTag} queued`);

      const failure = await this.verifier.waitUntilHealthy(
        deploymentUuid,
        expectRollback(previousTag, commit),
        rollbackTimeoutMs,
      );

      if (failure) {
        return this.needsAttention(
          `ROLLBACK FAILED: ${failed}, then rolling back to ${previousTag} failed: ${failure}`,
        );
      }
    } catch (error) {
      return this.needsAttention(
        `ROLLBACK FAILED: ${failed}, then rolling back to ${previousTag} failed: ${messageOf(error)}`,
      );
    }

    return {
      kind: 'rolled-back',
      message: `Release ${tag} failed and was rolled back to ${previousTag}, which is healthy again. Reason: ${reason}`,
    };
  }

  private notDeployed(reason: string): ReleaseOutcome {
    return {
      kind: 'not-deployed',
      message: `Release ${this.settings.tag} was not deployed: ${reason}`,
    };
  }

  private needsAttention(reason: string): ReleaseOutcome {
    return { kind: 'needs-attention', message: `PRODUCTION NEEDS ATTENTION. ${reason}` };
  }

  private async sendAlert(outcome: ReleaseOutcome): Promise<void> {
    try {
      await this.deps.alert.send(`AIAS deploy: ${outcome.message}`);
      this.log.info('Alert sent');
    } catch (error) {
      this.log.error(`Sending the alert failed: ${messageOf(error)}`);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { OneTimeTokens } from '../auth/one-time-tokens.service.js';
import { SessionsService } from '../auth/sessions.service.js';
import { RateLimitStore } from '../rate-limit/rate-limit.store.js';
import { UnverifiedStudios } from '../auth/unverified-studios.service.js';
import { JobQueue } from './job-queue.service.js';

export const MAINTENANCE_QUEUE = 'maintenance';

export interface MaintenanceReport {
  expiredSessions: number;
  spentTokens: number;
  expiredRateLimits: number;
  suspendedStudios: number;
  droppedStudios: number;
}

/**
 * Periodic housekeeping of the control database, on JOBS_MAINTENANCE_CRON. Each step is a plain
 * method of the service that owns the data, so tests (and a future CLI) can call them directly.
 */
@Injectable()
export class MaintenanceJob {
  private readonly logger = new Logger(MaintenanceJob.name);

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    queue: JobQueue,
    private readonly sessions: SessionsService,
    private readonly tokens: OneTimeTokens,
    private readonly unverifiedStudios: UnverifiedStudios,
    private readonly rateLimits: RateLimitStore,
  ) {
    queue.register({
      // `exclusive`: at most one maintenance job queued or running across every instance, so two
      // instances never drop the same studio at once and a slow pass is not stacked up behind.
      queue: { name: MAINTENANCE_QUEUE, policy: 'exclusive', retryLimit: 2, retryDelay: 30, expireInSeconds: 15 * 60 },
      cron: config.jobs.maintenanceCron,
      handler: async () => {
        await this.run();
      },
    });
  }

  async run(): Promise<MaintenanceReport> {
    const report: MaintenanceReport = {
      expiredSessions: await this.sessions.deleteExpired(),
      spentTokens: await this.tokens.deleteSpent(),
      expiredRateLimits: await this.rateLimits.deleteExpired(),
      suspendedStudios: (await this.unverifiedStudios.suspendOverdue()).length,
      droppedStudios: (await this.unverifiedStudios.dropAbandoned()).length,
    };
    if (Object.values(report).some((n) => n > 0)) this.logger.log(report, 'Maintenance done');
    return report;
  }
}

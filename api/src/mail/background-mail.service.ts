import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { mailErrorForLog } from './mail-outbox.service.js';

/**
 * Mail sent after the response (a password reset, a portal magic link): the answer must not wait for,
 * or reveal anything through, the lookup and the SMTP round trip. Failures are logged (without the
 * address or link unless MAIL_LOG_LINKS), never thrown at anyone. Shutdown waits for the work in flight,
 * and tests wait with `settled()`.
 */
@Injectable()
export class BackgroundMail implements OnApplicationShutdown {
  private readonly logger = new Logger(BackgroundMail.name);
  private readonly pending = new Set<Promise<void>>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Runs `work` after the current response; `what` names it in the log line of a failure. */
  run(what: string, work: () => Promise<void>): void {
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((err: unknown) => this.logger.warn({ err: mailErrorForLog(err, this.config.mail.logLinks) }, `Could not send the ${what}`))
      .finally(() => this.pending.delete(run));
    this.pending.add(run);
  }

  /** Resolves when the background work started so far is done. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.settled();
  }
}

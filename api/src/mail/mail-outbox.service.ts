import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** A short file-name-safe label for the outbox file, e.g. `verify-email`. */
  kind: string;
}

/**
 * Outgoing email until the accounts issue brings a real transport: each message is logged at info
 * level (so an operator can pass a link on by hand) and, when MAIL_OUTBOX_DIR is set (by default in
 * development, under RSM_DATA_DIR/mail), written there as a text file that a developer or the e2e
 * suite can read. The accounts issue replaces the body of `send` with SMTP and writes .eml files.
 */
@Injectable()
export class MailOutbox {
  private readonly logger = new Logger('Mail');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async send(mail: OutgoingMail): Promise<void> {
    this.logger.log({ to: mail.to, subject: mail.subject, text: mail.text }, `Email not sent (no mail transport yet): ${mail.subject}`);
    const dir = this.config.mail.outboxDir;
    if (!dir) return;
    await mkdir(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = join(dir, `${stamp}-${randomBytes(3).toString('hex')}-${mail.kind}.txt`);
    await writeFile(file, `To: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}\n`, { mode: 0o600 });
  }
}

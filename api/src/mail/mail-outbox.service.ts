import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { PRODUCT_NAME } from './mail-templates.js';

export interface OutgoingMail {
  /** One address, or several (issue 11, documents: an invoice to the client's accounts team). */
  to: string | string[];
  subject: string;
  text: string;
  /** A short file-name-safe label for the outbox file and the logs, e.g. `verify-email`. */
  kind: string;
  /** The HTML part (see mail-templates.ts); text only when absent. */
  html?: string;
  /** The sender's display name: the studio's name when the mail is about a studio (else the product's). */
  senderName?: string;
  // Issue 11, documents: invoices go out with copies, a reply address (the studio's) and their PDF.
  cc?: string[];
  replyTo?: string;
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
}

/**
 * A failed send, as a log field: nodemailer's codes always, its message only where addresses may be
 * logged (an SMTP error message often quotes the recipient).
 */
export function mailErrorForLog(err: unknown, withMessage: boolean): Record<string, unknown> {
  const { code, responseCode, message } = err as { code?: string; responseCode?: number; message?: string };
  return { code, responseCode, ...(withMessage ? { message } : {}) };
}

/** Every http(s) link in a text, for the development log. */
const linksIn = (text: string) => text.match(/https?:\/\/[^\s<>"]+/g) ?? [];

/**
 * Outgoing email (issue 7, accounts-mail), through nodemailer:
 *  - with SMTP_URL, over SMTP;
 *  - without it, each message is composed the same way and written as an `.eml` file to the outbox
 *    (RSM_DATA_DIR/mail by default, MAIL_OUTBOX_DIR to move it), where a developer or the e2e suite
 *    opens the link; the log line then carries the recipient and the links, so a local run can follow
 *    them from the console too.
 * In production the log line says only the subject, the kind and the recipient's domain: links
 * carry one-time tokens (password reset, invitations) that would work for anyone reading the logs,
 * and addresses are personal data.
 */
@Injectable()
export class MailOutbox implements OnModuleDestroy {
  private readonly logger = new Logger('Mail');
  private readonly transport: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transport = config.mail.smtpUrl
      ? createTransport(config.mail.smtpUrl)
      : createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(mail: OutgoingMail): Promise<void> {
    const info = (await this.transport.sendMail({
      from: { name: mail.senderName ?? PRODUCT_NAME, address: this.config.mail.from },
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      ...(mail.html ? { html: mail.html } : {}),
      ...(mail.cc?.length ? { cc: mail.cc } : {}),
      ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
      ...(mail.attachments?.length ? { attachments: mail.attachments } : {}),
    })) as { message?: Buffer };
    const via = this.config.mail.smtpUrl ? 'smtp' : 'outbox';
    if (via === 'outbox' && info.message) await this.writeToOutbox(mail.kind, info.message);
    const recipient = this.config.mail.logLinks
      ? { to: mail.to, subject: mail.subject, links: linksIn(mail.text) }
      : { toDomain: [mail.to].flat().map((to) => to.slice(to.lastIndexOf('@') + 1)).join(', '), subject: mail.subject };
    this.logger.log({ mail: { kind: mail.kind, ...recipient, via } }, via === 'smtp' ? `Email sent: ${mail.subject}` : `Email written to the outbox: ${mail.subject}`);
  }

  private async writeToOutbox(kind: string, message: Buffer): Promise<void> {
    const dir = this.config.mail.outboxDir;
    if (!dir) return;
    await mkdir(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    // 0600: the file holds a working link.
    await writeFile(join(dir, `${stamp}-${randomBytes(3).toString('hex')}-${kind.replace(/[^\w-]/g, '_')}.eml`), message, { mode: 0o600 });
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}

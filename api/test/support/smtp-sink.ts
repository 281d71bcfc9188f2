import { type ParsedMail, simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  parsed: ParsedMail;
}

/**
 * Issue 7, accounts-mail: a real SMTP server for the tests (smtp-server on a free port of 127.0.0.1),
 * keeping every message it receives, parsed with mailparser. Point the app at it with
 * `createTestApp({ SMTP_URL: sink.url })`.
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  private readonly waiters = new Set<() => void>();
  private server?: SMTPServer;
  private gate?: { arrived: () => void; decision: Promise<boolean> };
  url = '';

  /**
   * Issue 11, invoice-fixes: the next message is held (the sender's SMTP transaction stays open, as
   * with a slow server) until `release` accepts it or `refuse` rejects it with a 550: a mail in flight,
   * on demand. `arrived` resolves once its data is in.
   */
  holdNext(): { arrived: Promise<void>; release: () => void; refuse: () => void } {
    let arrived!: () => void;
    let decide!: (accept: boolean) => void;
    const arrivedPromise = new Promise<void>((resolve) => (arrived = resolve));
    this.gate = { arrived, decision: new Promise<boolean>((resolve) => (decide = resolve)) };
    return { arrived: arrivedPromise, release: () => decide(true), refuse: () => decide(false) };
  }

  static async start(): Promise<SmtpSink> {
    const sink = new SmtpSink();
    sink.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const gate = sink.gate;
        sink.gate = undefined;
        simpleParser(stream)
          .then(async (parsed) => {
            if (gate) {
              gate.arrived();
              if (!(await gate.decision)) return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
            }
            const to = (session.envelope.rcptTo || []).map((r) => r.address.toLowerCase());
            sink.received.push({ to, parsed });
            for (const wake of sink.waiters) wake();
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      sink.server!.once('error', reject);
      sink.server!.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = sink.server.server.address() as AddressInfo;
    sink.url = `smtp://127.0.0.1:${port}`;
    return sink;
  }

  /** Messages to `address` so far, oldest first. */
  messagesTo(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.to.includes(address.toLowerCase()));
  }

  /**
   * The next message to `address` beyond the `seen` already there (default: the first one), waiting
   * for it up to `timeoutMs` (mail is sent in the background after a response).
   */
  async waitFor(address: string, { seen = 0, subject, timeoutMs = 10_000 }: { seen?: number; subject?: RegExp; timeoutMs?: number } = {}): Promise<ParsedMail> {
    const find = () => this.messagesTo(address).slice(seen).find((m) => !subject || subject.test(m.parsed.subject ?? ''))?.parsed;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no email to ${address}${subject ? ` matching ${subject}` : ''} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, 200);
        this.waiters.add(wake);
      });
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** The first link in a message's text part whose path is `path`, e.g. `/reset-password`. */
export function linkIn(mail: ParsedMail, path: string): URL {
  const link = (mail.text ?? '').match(/https?:\/\/\S+/g)?.map((l) => new URL(l)).find((u) => u.pathname === path);
  if (!link) throw new Error(`no ${path} link in the email "${mail.subject}":\n${mail.text}`);
  return link;
}

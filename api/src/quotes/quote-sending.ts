import type { EntityManager } from 'typeorm';
import type { AuditLog } from '../audit/audit-log.service.js';
import { BillingSettings } from '../billing-settings/billing-settings.entity.js';
import { assignNumber } from '../billing-settings/numbering.js';
import { pgErrorCode } from '../common/pg-errors.js';
import { ValidationProblem } from '../common/problem.js';
import { clientOrInvalid, copyBillTo } from '../invoices/invoice-drafts.js';
import { studioSettings, todayIn } from '../invoices/invoice-pricing.js';
import { recordEvent } from '../outbox/record-event.js';
import { lockQuote, quoteConflict } from './quote-view.js';
import { QuoteLine } from './quote-line.entity.js';
import { Quote } from './quote.entity.js';
import { quoteNotDraft } from './quotes.service.js';

export interface QuoteRecipients {
  to: string[];
  cc: string[];
}

/**
 * Step 1 of sending a quote (documents.service.ts sendQuote), in its own short transaction: a draft
 * quote is issued — row lock, checks (lines, validUntil not past, a recipient), bill-to frozen, the
 * next number of the quote sequence (gapless: rolled back with any failure here), issue date today
 * (studio time zone), default notes/terms, status `sent`, audit `quote.issued`. It commits before the
 * mail, so the sequence is never locked while an SMTP server answers, and a number that reached a
 * client is never rolled back and given again. Not a draft: nothing to do (the mail step decides).
 * `recipients` is asked once bill-to is frozen (its email is the default address) and may refuse.
 */
export async function issueQuote(
  m: EntityManager,
  id: string,
  deps: { audit: AuditLog; actorId: string | null; recipients: (quote: Quote) => QuoteRecipients },
): Promise<void> {
  const quote = await lockQuote(m, id);
  if (quote.status !== 'draft') return;
  const today = todayIn((await studioSettings(m)).timeZone);
  const lineCount = await m.getRepository(QuoteLine).countBy({ quoteId: id });
  if (!lineCount) throw quoteConflict('quote-empty', 'A quote without lines cannot be sent.');
  assertStillValid(quote, today);
  copyBillTo(quote, await clientOrInvalid(m, quote.clientId));
  deps.recipients(quote);
  const billing = await m.getRepository(BillingSettings).findOneByOrFail({ id: 1 });
  quote.number = await assignNumber(m, 'quote', today);
  quote.issueDate = today;
  quote.terms ??= billing.defaultTerms;
  quote.notes ??= billing.defaultNotes;
  quote.status = 'sent';
  await m.getRepository(Quote).save(quote);
  await deps.audit.record(m, { action: 'quote.issued', targetType: 'quote', targetId: id, details: { number: quote.number } });
}

/**
 * A mail claim older than this is taken to be abandoned (the process died mid-send) and may be taken
 * again; longer than a mail can take (nodemailer gives up on a silent server after 10 minutes).
 */
const ABANDONED_MAILING_MINUTES = 15;

/**
 * Step 2's first part, under the quote's row lock and committed before the mail: only an issued quote
 * not mailed yet may be mailed (a mailed one → 409 quote-not-draft: to change the offer, decline it and
 * send a new one), only while it is still valid, and only by one request at a time: it claims the
 * quote (`mailing_since`), so a concurrent send with another key gets 409 quote-mail-in-progress
 * instead of a second mail. Returns the recipients.
 */
export async function claimQuoteMailing(m: EntityManager, id: string, recipients: (quote: Quote) => QuoteRecipients): Promise<{ quote: Quote; today: string; recipients: QuoteRecipients }> {
  const quote = await lockQuote(m, id);
  if (quote.status !== 'sent' || quote.sentAt !== null) throw quoteNotDraft();
  if (quote.mailingSince !== null && Date.now() - quote.mailingSince.getTime() < ABANDONED_MAILING_MINUTES * 60_000) {
    throw quoteConflict('quote-mail-in-progress', 'This quote is being mailed by another request right now: reload it in a moment.');
  }
  const today = todayIn((await studioSettings(m)).timeZone);
  assertStillValid(quote, today);
  const sent = recipients(quote);
  await m.getRepository(Quote).update({ id }, { mailingSince: new Date() });
  return { quote, today, recipients: sent };
}

/** The mail was refused: the claim goes, so sending again mails the quote. */
export async function releaseQuoteMailing(m: EntityManager, id: string): Promise<void> {
  await m.query(`UPDATE "quotes" SET "mailing_since" = NULL WHERE "id" = $1 AND "sent_at" IS NULL`, [id]);
}

/** Step 2 once the mail went out: sentAt, outbox `quote.sent` and the audit entry, in one transaction. */
export async function markQuoteMailed(m: EntityManager, id: string, sent: QuoteRecipients, deps: { audit: AuditLog; actorId: string | null }): Promise<Quote> {
  const quote = await lockQuote(m, id);
  quote.sentAt = new Date();
  quote.mailingSince = null;
  await m.getRepository(Quote).save(quote);
  const details = { number: quote.number, to: sent.to, cc: sent.cc };
  await recordEvent(m, { type: 'quote.sent', subjectType: 'quote', subjectId: quote.id, payload: { ...details, totalMinor: quote.totalMinor }, actorId: deps.actorId });
  await deps.audit.record(m, { action: 'quote.sent', targetType: 'quote', targetId: quote.id, details });
  return quote;
}

function assertStillValid(quote: Quote, today: string): void {
  if (!quote.validUntil) throw new ValidationProblem([{ field: 'validUntil', messages: ['set validUntil before sending the quote'] }]);
  if (quote.validUntil < today) throw new ValidationProblem([{ field: 'validUntil', messages: ['validUntil is in the past'] }]);
}

/** The unique number index refused: a format change made the quote sequence collide with another kind. */
export function numberClash(err: unknown): never {
  if (pgErrorCode(err) === '23505') throw quoteConflict('number-format-clash', 'The number this quote would get is already taken by another kind of document: make the number formats distinct.');
  throw err;
}

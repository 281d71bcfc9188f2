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
 * Step 2, under the quote's row lock (concurrent sends with other keys wait here, then find it mailed):
 * only an issued quote that was not mailed yet may be (a mailed one → 409 quote-not-draft: to change
 * the offer, decline it and send a new one), and only while it is still valid. Returns the recipients.
 */
export async function quoteToMail(m: EntityManager, id: string, recipients: (quote: Quote) => QuoteRecipients): Promise<{ quote: Quote; today: string; recipients: QuoteRecipients }> {
  const quote = await lockQuote(m, id);
  if (quote.status !== 'sent' || quote.sentAt !== null) throw quoteNotDraft();
  const today = todayIn((await studioSettings(m)).timeZone);
  assertStillValid(quote, today);
  return { quote, today, recipients: recipients(quote) };
}

/** Step 2 once the mail went out: sentAt, outbox `quote.sent` and the audit entry, in the mail's transaction. */
export async function markQuoteMailed(m: EntityManager, quote: Quote, sent: QuoteRecipients, deps: { audit: AuditLog; actorId: string | null }): Promise<void> {
  quote.sentAt = new Date();
  await m.getRepository(Quote).save(quote);
  const details = { number: quote.number, to: sent.to, cc: sent.cc };
  await recordEvent(m, { type: 'quote.sent', subjectType: 'quote', subjectId: quote.id, payload: { ...details, totalMinor: quote.totalMinor }, actorId: deps.actorId });
  await deps.audit.record(m, { action: 'quote.sent', targetType: 'quote', targetId: quote.id, details });
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

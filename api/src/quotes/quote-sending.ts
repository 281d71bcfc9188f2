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
 * A draft quote becomes `sent`, inside the caller's transaction (the documents module's send, which
 * mails it in the same transaction): row lock, checks (lines, validUntil not past), bill-to frozen,
 * the next number of the quote sequence (gapless: rolled back with any later failure, the mail
 * included), issue date today (studio time zone), default notes/terms, outbox `quote.sent` and audit.
 * `recipients` is asked once bill-to is frozen (its email is the default address) and may refuse.
 */
export async function markQuoteSent(
  m: EntityManager,
  id: string,
  deps: { audit: AuditLog; actorId: string | null; recipients: (quote: Quote) => QuoteRecipients },
): Promise<{ quote: Quote; today: string; recipients: QuoteRecipients }> {
  const quote = await lockQuote(m, id);
  if (quote.status !== 'draft') throw quoteNotDraft();
  const today = todayIn((await studioSettings(m)).timeZone);
  const lineCount = await m.getRepository(QuoteLine).countBy({ quoteId: id });
  if (!lineCount) throw quoteConflict('quote-empty', 'A quote without lines cannot be sent.');
  if (!quote.validUntil) throw new ValidationProblem([{ field: 'validUntil', messages: ['set validUntil before sending the quote'] }]);
  if (quote.validUntil < today) throw new ValidationProblem([{ field: 'validUntil', messages: ['validUntil is in the past'] }]);
  copyBillTo(quote, await clientOrInvalid(m, quote.clientId));
  const recipients = deps.recipients(quote);
  const billing = await m.getRepository(BillingSettings).findOneByOrFail({ id: 1 });
  quote.number = await assignNumber(m, 'quote', today);
  quote.issueDate = today;
  quote.terms ??= billing.defaultTerms;
  quote.notes ??= billing.defaultNotes;
  quote.status = 'sent';
  await m.getRepository(Quote).save(quote);
  const details = { number: quote.number, to: recipients.to, cc: recipients.cc };
  await recordEvent(m, { type: 'quote.sent', subjectType: 'quote', subjectId: id, payload: { ...details, totalMinor: quote.totalMinor }, actorId: deps.actorId });
  await deps.audit.record(m, { action: 'quote.sent', targetType: 'quote', targetId: id, details });
  return { quote, today, recipients };
}

/** The unique number index refused: a format change made the quote sequence collide with another kind. */
export function numberClash(err: unknown): never {
  if (pgErrorCode(err) === '23505') throw quoteConflict('number-format-clash', 'The number this quote would get is already taken by another kind of document: make the number formats distinct.');
  throw err;
}

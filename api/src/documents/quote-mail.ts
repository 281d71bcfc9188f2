import type { RenderedMail } from '../mail/mail-templates.js';
import { mailBody } from './invoice-mail.js';
import { documentDate, moneyFormatter } from './pdf-layout.js';
import type { QuoteDocumentData } from './quote-document.js';

/** The email a quote goes out with: the studio's note, what is attached, its total, the deposit asked and how long it holds. */
export function quoteMail(data: QuoteDocumentData, message: string | undefined): RenderedMail {
  const { quote, studio } = data;
  const money = moneyFormatter(quote.currency.trim());
  const paragraphs = [
    ...(message?.trim() ? [message.trim()] : []),
    `Please find attached quote ${quote.number} from ${studio.name}.`,
    `Total: ${money(quote.totalMinor)}${quote.validUntil ? `, valid until ${documentDate(quote.validUntil)}` : ''}.`,
    ...(data.depositMinor > 0 ? [`On acceptance, a deposit of ${money(data.depositMinor)} is invoiced.`] : []),
  ];
  return { subject: `Quote ${quote.number} from ${studio.name}`, ...mailBody(paragraphs, studio) };
}

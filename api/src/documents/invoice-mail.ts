import type { RenderedMail } from '../mail/mail-templates.js';
import type { InvoiceDocumentData } from './document-data.js';
import { DOCUMENT_TITLES } from './invoice-pdf.js';
import { documentDate, moneyFormatter } from './pdf-layout.js';

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The email an invoice goes out with: the studio's own note (if any), what is attached and what is
 * due by when. The PDF is the document; the mail only points at it. Text and HTML say the same.
 */
export function invoiceMail(data: InvoiceDocumentData, message: string | undefined): RenderedMail {
  const { invoice, studio } = data;
  const money = moneyFormatter(invoice.currency);
  const title = DOCUMENT_TITLES[invoice.kind];
  const paragraphs = [
    ...(message?.trim() ? [message.trim()] : []),
    `Please find attached ${title.toLowerCase()} ${invoice.number} from ${studio.name}.`,
    ...(invoice.kind !== 'credit_note' && data.balanceMinor > 0
      ? [`Amount due: ${money(data.balanceMinor)}${invoice.dueDate ? `, by ${documentDate(invoice.dueDate)}` : ''}.`]
      : []),
    ...(invoice.kind !== 'credit_note' && studio.iban ? [`Bank transfer: IBAN ${studio.iban}${studio.bic ? `, BIC ${studio.bic}` : ''}, reference ${invoice.number}.`] : []),
  ];
  return { subject: `${title} ${invoice.number} from ${studio.name}`, ...mailBody(paragraphs, studio) };
}

/** Text and HTML bodies saying the same: the paragraphs, then the studio's signature (shared by invoice and quote mails). */
export function mailBody(paragraphs: string[], studio: { name: string; email: string | null }): Pick<RenderedMail, 'text' | 'html'> {
  const signature = [studio.name, studio.email].filter(Boolean).join(' · ');
  return {
    text: `${[...paragraphs, `-- \n${signature}`].join('\n\n')}\n`,
    html: `<!doctype html><html><head><meta charset="utf-8"></head><body style="font-family:system-ui,sans-serif;color:#18181b">
${paragraphs.map((p) => `<p style="white-space:pre-line">${escapeHtml(p)}</p>`).join('\n')}
<p style="color:#71717a;font-size:13px">${escapeHtml(signature)}</p>
</body></html>
`,
  };
}

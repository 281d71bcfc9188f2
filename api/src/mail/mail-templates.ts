/**
 * Email templates (issue 7, accounts-mail). Every message goes through `layout`, the one place for
 * the look of our email: a text part (what most security-minded clients show) and an HTML part
 * built from the same pieces, so the two never say different things.
 */

export const PRODUCT_NAME = 'Recording Studio Manager';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface LayoutParts {
  subject: string;
  /** Paragraphs before the button. */
  intro: string[];
  /** Optional since issue 13 (a booking mail to a client has no link into the staff app). */
  action?: { label: string; url: string };
  /** Paragraphs after the button (validity, "ignore this if ..."). */
  outro: string[];
  studioName?: string;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function layout({ subject, intro, action, outro, studioName }: LayoutParts): RenderedMail {
  const signature = studioName ? `${studioName}, via ${PRODUCT_NAME}` : PRODUCT_NAME;
  // The link stands alone on its line in the text part: mail clients then keep it clickable whole.
  const text = [...intro, ...(action ? [`${action.label}:\n${action.url}`] : []), ...outro, `-- \n${signature}`].join('\n\n') + '\n';
  const p = (paragraph: string) => `<p style="margin:0 0 16px">${escapeHtml(paragraph)}</p>`;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f4f5;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#18181b">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:32px">
${intro.map(p).join('\n')}
${action ? `<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="display:inline-block;background:#18181b;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none">${escapeHtml(action.label)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#52525b">Or paste this address into your browser: ${escapeHtml(action.url)}</p>` : ''}
${outro.map(p).join('\n')}
<p style="margin:32px 0 0;font-size:13px;color:#71717a">${escapeHtml(signature)}</p>
</div></body></html>
`;
  return { subject, text, html };
}

/** "1 hour", "7 days", "30 minutes": how long a link works, in words. */
export function validityInWords(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (ms >= 86_400_000 && ms % 86_400_000 === 0) return plural(ms / 86_400_000, 'day');
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return plural(ms / 3_600_000, 'hour');
  return plural(Math.max(1, Math.round(ms / 60_000)), 'minute');
}

export function verifyEmailMail(v: { link: string; validityMs: number; studioName?: string }): RenderedMail {
  return layout({
    subject: `Verify your email for ${PRODUCT_NAME}`,
    intro: ['Open this link to verify your email address and keep your studio active.'],
    action: { label: 'Verify your email', url: v.link },
    outro: [`The link works once and for ${validityInWords(v.validityMs)}.`],
    studioName: v.studioName,
  });
}

export function passwordResetMail(v: { link: string; validityMs: number; studioName?: string }): RenderedMail {
  return layout({
    subject: `Reset your ${PRODUCT_NAME} password`,
    intro: ['Someone (hopefully you) asked to reset the password of your account.'],
    action: { label: 'Choose a new password', url: v.link },
    outro: [
      `The link works once and for ${validityInWords(v.validityMs)}. Choosing a new password signs you out everywhere.`,
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ],
    studioName: v.studioName,
  });
}

/** Tells the owner of the address that the password changed, so a takeover does not go unnoticed. */
export function passwordChangedMail(v: { loginLink: string; studioName?: string }): RenderedMail {
  return layout({
    subject: `Your ${PRODUCT_NAME} password was changed`,
    intro: ['The password of your account was just changed.'],
    action: { label: 'Sign in', url: v.loginLink },
    outro: ['If this was not you, reset your password from the sign-in page at once and tell your studio owner.'],
    studioName: v.studioName,
  });
}

/** Issue 7: an invitation to join a studio, sent in the studio's name. */
export function inviteMail(v: { link: string; validityMs: number; studioName: string; role: string }): RenderedMail {
  return layout({
    subject: `You are invited to join ${v.studioName} on ${PRODUCT_NAME}`,
    intro: [`You have been invited to join ${v.studioName} as ${v.role}.`],
    action: { label: 'Accept the invitation', url: v.link },
    outro: [`The link works once and for ${validityInWords(v.validityMs)}.`, 'If you did not expect this invitation, ignore this email.'],
    studioName: v.studioName,
  });
}

// --- issue 12, portal: a client's contact invited to the studio's portal, and a portal sign-in link ---

export function portalInviteMail(v: { link: string; validityMs: number; studioName: string }): RenderedMail {
  return layout({
    subject: `${v.studioName} invites you to its client portal`,
    intro: [`${v.studioName} gave you access to its client portal: your sessions, invoices and payments in one place.`, 'Open this link to choose your password.'],
    action: { label: 'Choose your password', url: v.link },
    outro: [`The link works once and for ${validityInWords(v.validityMs)}.`, 'If you were not expecting this, ignore this email.'],
    studioName: v.studioName,
  });
}

export function portalMagicLinkMail(v: { link: string; validityMs: number; studioName: string }): RenderedMail {
  return layout({
    subject: `Your sign-in link for ${v.studioName}`,
    intro: [`Someone (hopefully you) asked to sign in to the client portal of ${v.studioName}.`],
    action: { label: 'Sign in', url: v.link },
    outro: [`The link works once and for ${validityInWords(v.validityMs)}.`, 'If you did not ask for this, ignore this email.'],
    studioName: v.studioName,
  });
}
// --- end of portal ---

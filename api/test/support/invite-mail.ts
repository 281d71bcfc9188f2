import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestApp } from './test-app.js';

/**
 * The token of the newest invitation emailed to `email`, read from what MailOutbox wrote to
 * MAIL_OUTBOX_DIR (issue 7, accounts-access). When mail goes through SMTP (accounts-mail), this is the
 * one place to read it from the test SMTP server instead.
 */
export function invitationTokenFor(outboxDir: string, email: string): string {
  const files = readdirSync(outboxDir)
    .filter((f) => f.endsWith('-invite.txt'))
    .sort()
    .reverse();
  for (const file of files) {
    const text = readFileSync(join(outboxDir, file), 'utf8');
    if (!text.startsWith(`To: ${email}\n`)) continue;
    const token = /\/accept-invite\?token=([A-Za-z0-9_-]{43})/.exec(text)?.[1];
    if (token) return token;
  }
  throw new Error(`No invitation email to ${email} in ${outboxDir}`);
}

export const cookieOf = (res: { headers: Record<string, unknown> }) =>
  ((res.headers['set-cookie'] as string[] | undefined) ?? []).map((c) => c.split(';')[0]).join('; ');

let n = 0;
/** Invites a new person as `role` through the API and accepts through the API: their session cookie and ids. */
export async function addMemberByInvite(t: TestApp, inviterCookie: string, role: string, outboxDir: string) {
  const email = `member-${Date.now().toString(36)}-${n++}@members.test`;
  const invite = await t.http().post('/api/v1/invites').set('cookie', inviterCookie).send({ email, role });
  if (invite.status !== 201) throw new Error(`invite failed: ${invite.status} ${JSON.stringify(invite.body)}`);
  const token = invitationTokenFor(outboxDir, email);
  const accepted = await t.http().post('/api/v1/invites/accept').send({ token, name: `Member ${role}`, password: 'a long enough password' });
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return { email, cookie: cookieOf(accepted), userId: accepted.body.user.id as string, password: 'a long enough password' };
}

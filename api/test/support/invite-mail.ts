import type { ParsedMail } from 'mailparser';
import { linkIn, type SmtpSink } from './smtp-sink.js';
import type { TestApp } from './test-app.js';

/** The subject every invitation carries (mail-templates.ts `inviteMail`). */
export const INVITE_SUBJECT = /^You are invited to join /;

/**
 * The newest invitation emailed to `email`, as it arrived at the test SMTP server (issue 7): invites
 * are sent before `POST /invites` answers, so it is there already; waits briefly otherwise.
 */
export async function invitationMailTo(sink: SmtpSink, email: string): Promise<ParsedMail> {
  const invites = sink.messagesTo(email).filter((m) => INVITE_SUBJECT.test(m.parsed.subject ?? ''));
  return invites.at(-1)?.parsed ?? sink.waitFor(email, { subject: INVITE_SUBJECT });
}

/** The token of the newest invitation to `email`, read by following the link in the message. */
export async function invitationTokenFor(sink: SmtpSink, email: string): Promise<string> {
  const token = linkIn(await invitationMailTo(sink, email), '/accept-invite').searchParams.get('token');
  if (!token) throw new Error(`The invitation to ${email} has a link without a token`);
  return token;
}

export const cookieOf = (res: { headers: Record<string, unknown> }) =>
  ((res.headers['set-cookie'] as string[] | undefined) ?? []).map((c) => c.split(';')[0]).join('; ');

let n = 0;
/** Invites a new person as `role` through the API and accepts through the emailed link: their session cookie and ids. */
export async function addMemberByInvite(t: TestApp, inviterCookie: string, role: string, sink: SmtpSink) {
  const email = `member-${Date.now().toString(36)}-${n++}@members.test`;
  const invite = await t.http().post('/api/v1/invites').set('cookie', inviterCookie).send({ email, role });
  if (invite.status !== 201) throw new Error(`invite failed: ${invite.status} ${JSON.stringify(invite.body)}`);
  const token = await invitationTokenFor(sink, email);
  const accepted = await t.http().post('/api/v1/invites/accept').send({ token, name: `Member ${role}`, password: 'a long enough password' });
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return { email, cookie: cookieOf(accepted), userId: accepted.body.user.id as string, password: 'a long enough password' };
}

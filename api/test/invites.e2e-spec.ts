import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { addMemberByInvite, cookieOf, invitationMailTo, invitationTokenFor } from './support/invite-mail.js';
import { linkIn, SmtpSink } from './support/smtp-sink.js';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/** Invitations (issue 7): emailed one-time link, hashed at rest, 7 days, revocable; accept creates or attaches an account. */
describe('invites', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let studio: Awaited<ReturnType<typeof registerStudio>>;
  let other: Awaited<ReturnType<typeof registerStudio>>;
  let n = 0;
  const email = () => `invitee-${Date.now().toString(36)}-${n++}@invites.test`;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url, MAIL_FROM: 'no-reply@rsm.test' });
    studio = await registerStudio(t, 'Inviting');
    other = await registerStudio(t, 'Inviting other');
  });
  afterAll(async () => {
    await t?.close();
    await sink.close();
  });

  const invite = (cookie: string, body: object) => t.http().post('/api/v1/invites').set('cookie', cookie).send(body);
  const counts = async () =>
    (
      await t.control.query(
        `SELECT (SELECT count(*) FROM invites)::int AS invites, (SELECT count(*) FROM users)::int AS users,
                (SELECT count(*) FROM memberships)::int AS memberships, (SELECT count(*) FROM sessions)::int AS sessions`,
      )
    ).rows[0];

  it('emails a one-time link; the database keeps only its hash; accepting creates the account and a session in that studio', async () => {
    const address = email();
    const created = await invite(studio.cookie, { email: address.toUpperCase(), role: 'engineer' }).expect(201);
    expect(created.body).toMatchObject({ email: address, role: 'engineer', invitedBy: studio.userId });
    const days = (Date.parse(created.body.expiresAt) - Date.parse(created.body.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(7, 2);
    // Over SMTP, in the studio's name, text and HTML from the one layout; the link is followed from the message.
    const mail = await invitationMailTo(sink, address);
    expect(mail.from?.value).toEqual([{ name: studio.body.organization.name, address: 'no-reply@rsm.test' }]);
    expect(mail.subject).toBe(`You are invited to join ${studio.body.organization.name} on Recording Studio Manager`);
    expect(mail.text).toContain(`You have been invited to join ${studio.body.organization.name} as engineer.`);
    expect(mail.text).toContain('The link works once and for 7 days.');
    const link = linkIn(mail, '/accept-invite');
    expect(mail.html).toContain(`href="${link.href.replace(/&/g, '&amp;')}"`);
    const token = link.searchParams.get('token')!;
    const stored = (await t.control.query(`SELECT token_hash FROM invites WHERE id = $1`, [created.body.id])).rows[0].token_hash;
    expect(stored).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify((await t.control.query(`SELECT * FROM invites`)).rows)).not.toContain(token);

    const accepted = await t.http().post('/api/v1/invites/accept').send({ token, name: 'New Engineer', password: 'a long enough password' }).expect(200);
    expect(accepted.body).toMatchObject({ organization: { id: studio.organizationId }, user: { email: address, name: 'New Engineer' } });
    const me = await t.http().get('/api/v1/auth/me').set('cookie', cookieOf(accepted)).expect(200);
    expect(me.body).toMatchObject({ role: 'engineer', verification: { emailVerified: true } });
    // The invitation is spent: the same link again is a 410, and writes nothing.
    const before = await counts();
    const again = await t.http().post('/api/v1/invites/accept').send({ token, name: 'Again', password: 'a long enough password' }).expect(410);
    expect(again.body.type).toMatch(/invite-invalid$/);
    expect(await counts()).toEqual(before);
    // The new member logs in with the password they chose.
    await t.http().post('/api/v1/auth/login').send({ email: address, password: 'a long enough password' }).expect(200);
  });

  it('an existing account joins with its current password (a wrong one is a 401 counted as a failed login); it then has both studios', async () => {
    const address = other.credentials.email;
    await invite(studio.cookie, { email: address, role: 'viewer' }).expect(201);
    const token = await invitationTokenFor(sink, address);
    const before = await counts();
    const missing = await t.http().post('/api/v1/invites/accept').send({ token, name: 'Ignored' }).expect(400);
    expect(missing.body.errors).toEqual([{ field: 'password', messages: [expect.stringMatching(/existing account/)] }]);
    await t.http().post('/api/v1/invites/accept').send({ token, password: 'not the password' }).expect(401);
    expect(await counts()).toEqual(before);
    const accepted = await t.http().post('/api/v1/invites/accept').send({ token, password: other.credentials.password }).expect(200);
    expect(accepted.body.organization.id).toBe(studio.organizationId);
    const studios = await t.http().get('/api/v1/auth/organizations').set('cookie', cookieOf(accepted)).expect(200);
    expect(studios.body.items.map((s: { organization: { id: string }; role: string; current: boolean }) => [s.organization.id, s.role, s.current]).sort()).toEqual(
      [
        [studio.organizationId, 'viewer', true],
        [other.organizationId, 'owner', false],
      ].sort(),
    );
  });

  it('inviting the same email again replaces the link; revoking ends it; an expired link is a 410', async () => {
    const address = email();
    const first = await invite(studio.cookie, { email: address, role: 'viewer' }).expect(201);
    const oldToken = await invitationTokenFor(sink, address);
    const second = await invite(studio.cookie, { email: address, role: 'engineer' }).expect(201);
    expect(second.body.id).toBe(first.body.id);
    const newToken = await invitationTokenFor(sink, address);
    expect(newToken).not.toBe(oldToken);
    await t.http().post('/api/v1/invites/accept').send({ token: oldToken, name: 'Old', password: 'a long enough password' }).expect(410);

    await t.http().delete(`/api/v1/invites/${second.body.id}`).set('cookie', studio.cookie).expect(204);
    await t.http().post('/api/v1/invites/accept').send({ token: newToken, name: 'Revoked', password: 'a long enough password' }).expect(410);
    await t.http().delete(`/api/v1/invites/${second.body.id}`).set('cookie', studio.cookie).expect(404);

    const late = email();
    const expiring = await invite(studio.cookie, { email: late, role: 'viewer' }).expect(201);
    await t.control.query(`UPDATE invites SET expires_at = now() - interval '1 second' WHERE id = $1`, [expiring.body.id]);
    const before = await counts();
    await t.http().post('/api/v1/invites/accept').send({ token: await invitationTokenFor(sink, late), name: 'Late', password: 'a long enough password' }).expect(410);
    expect(await counts()).toEqual(before);
    const listed = (await t.http().get('/api/v1/invites').set('cookie', studio.cookie).expect(200)).body.items;
    expect(listed.find((i: { id: string }) => i.id === expiring.body.id)).toMatchObject({ email: late, role: 'viewer' });
  });

  it('only an owner invites an owner; a member already in the studio is a 409; nothing is written or sent', async () => {
    const admin = await addMemberByInvite(t, studio.cookie, 'admin', sink);
    const before = await counts();
    const sent = sink.received.length;
    const owner = await invite(admin.cookie, { email: email(), role: 'owner' }).expect(403);
    expect(owner.body.type).toMatch(/owners-only$/);
    const member = await invite(admin.cookie, { email: studio.credentials.email, role: 'viewer' }).expect(409);
    expect(member.body.type).toMatch(/already-member$/);
    expect(await counts()).toEqual(before);
    expect(sink.received.length).toBe(sent);
  });

  it('accepting twice at once: exactly one succeeds', async () => {
    const address = email();
    await invite(studio.cookie, { email: address, role: 'viewer' }).expect(201);
    const token = await invitationTokenFor(sink, address);
    const body = { token, name: 'Twice', password: 'a long enough password' };
    const results = await Promise.all([0, 1, 2].map(() => t.http().post('/api/v1/invites/accept').send(body)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 410, 410]);
    expect((await t.control.query(`SELECT count(*)::int AS n FROM users WHERE email = $1`, [address])).rows[0].n).toBe(1);
  });

  it("another studio's invitation ids are 404 (never 403) and stay", async () => {
    const theirs = await invite(other.cookie, { email: email(), role: 'viewer' }).expect(201);
    await t.http().delete(`/api/v1/invites/${theirs.body.id}`).set('cookie', studio.cookie).expect(404);
    const listed = (await t.http().get('/api/v1/invites').set('cookie', studio.cookie).expect(200)).body.items;
    expect(listed.map((i: { id: string }) => i.id)).not.toContain(theirs.body.id);
    expect((await t.control.query(`SELECT 1 FROM invites WHERE id = $1`, [theirs.body.id])).rowCount).toBe(1);
  });

  it('bad input is a 400 problem and writes nothing', async () => {
    const address = email();
    await invite(studio.cookie, { email: address, role: 'viewer' }).expect(201);
    const token = await invitationTokenFor(sink, address);
    const before = await counts();
    const badCreates = [{}, { email: 'not an email', role: 'viewer' }, { email: email(), role: 'root' }, { email: 42, role: 'viewer' }, { email: email(), role: 'viewer', organizationId: other.organizationId }];
    for (const body of badCreates) {
      const res = await invite(studio.cookie, body);
      expect([body, res.status, res.headers['content-type']]).toEqual([body, 400, expect.stringMatching(/^application\/problem\+json/)]);
    }
    const badAccepts = [
      {},
      { token: 'short' },
      { token: 123 },
      { token, name: 'X', password: 'a long enough password', role: 'owner' },
      { token, name: '', password: 'a long enough password' },
      { token, name: 'No password' },
      { token, password: 'a long enough password' },
      { token, name: 'Short', password: 'short' },
      { token, name: 'Eleven', password: '11 chars ok' },
      { token, name: 'Common', password: 'qwerty123456' },
    ];
    for (const body of badAccepts) {
      const res = await t.http().post('/api/v1/invites/accept').send(body);
      expect([body, res.status, res.headers['content-type']]).toEqual([body, 400, expect.stringMatching(/^application\/problem\+json/)]);
    }
    await t.http().delete('/api/v1/invites/not-a-uuid').set('cookie', studio.cookie).expect(400);
    for (const query of ['limit=0', 'cursor=***', 'email=x']) await t.http().get(`/api/v1/invites?${query}`).set('cookie', studio.cookie).expect(400);
    expect(await counts()).toEqual(before);
  });

  it("a new account's password follows the one password policy of sign-up and reset: 12+ characters, not a common password", async () => {
    const address = email();
    await invite(studio.cookie, { email: address, role: 'viewer' }).expect(201);
    const token = await invitationTokenFor(sink, address);
    const before = await counts();
    const accept = (password: string) => t.http().post('/api/v1/invites/accept').send({ token, name: 'Policy', password });
    expect((await accept('eleven char').expect(400)).body.errors).toEqual([{ field: 'password', messages: ['password must be longer than or equal to 12 characters'] }]);
    expect((await accept('QWERTY123456').expect(400)).body.errors).toEqual([
      { field: 'password', messages: ['password is on a list of common passwords; choose another one'] },
    ]);
    expect(await counts()).toEqual(before);
    // The refusals spent nothing: the same link, with a good password, works; exactly 12 characters is enough.
    await accept('twelve chars').expect(200);
    // The new member signs in with it.
    await t.http().post('/api/v1/auth/login').send({ email: address, password: 'twelve chars' }).expect(200);
  });

  it('accept obeys the Origin rule like any other write', async () => {
    const address = email();
    await invite(studio.cookie, { email: address, role: 'viewer' }).expect(201);
    const res = await t
      .http()
      .post('/api/v1/invites/accept')
      .set('origin', 'https://evil.example')
      .send({ token: await invitationTokenFor(sink, address), name: 'Cross', password: 'a long enough password' })
      .expect(403);
    expect(res.body.type).toMatch(/cross-site-request$/);
  });

  it('creating, revoking and accepting are in the audit log', async () => {
    const address = email();
    const created = await invite(studio.cookie, { email: address, role: 'viewer' }).expect(201);
    const accepted = await t
      .http()
      .post('/api/v1/invites/accept')
      .send({ token: await invitationTokenFor(sink, address), name: 'Audited', password: 'a long enough password' })
      .expect(200);
    const entries = (await t.http().get(`/api/v1/audit?targetId=${created.body.id}`).set('cookie', studio.cookie).expect(200)).body.items;
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['invite.accepted', 'invite.created']);
    expect(entries[0]).toMatchObject({ actor: { type: 'user', id: accepted.body.user.id, label: address }, details: { newAccount: true, role: 'viewer' } });
    expect(entries[1]).toMatchObject({ actor: { type: 'user', id: studio.userId }, details: { email: address, role: 'viewer' } });
  });
});

describe('invite rate limits', () => {
  let t: TestApp;
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({
      SMTP_URL: sink.url,
      RATE_LIMIT_INVITES_PER_USER_PER_HOUR: '2',
      RATE_LIMIT_INVITES_PER_IP_PER_HOUR: '3',
      RATE_LIMIT_INVITE_ACCEPT_PER_IP_PER_HOUR: '2',
    });
  });
  afterAll(async () => {
    await t?.close();
    await sink.close();
  });

  it('limits invitations per user and per IP, and accepting per IP: 429 problem with Retry-After', async () => {
    const a = await registerStudio(t, 'Limit A');
    const b = await registerStudio(t, 'Limit B');
    await t.http().post('/api/v1/invites').set('cookie', a.cookie).send({ email: 'one@limits.test', role: 'viewer' }).expect(201);
    await t.http().post('/api/v1/invites').set('cookie', a.cookie).send({ email: 'two@limits.test', role: 'viewer' }).expect(201);
    const perUser = await t.http().post('/api/v1/invites').set('cookie', a.cookie).send({ email: 'three@limits.test', role: 'viewer' }).expect(429);
    expect(perUser.headers['retry-after']).toMatch(/^\d+$/);
    expect(perUser.headers['content-type']).toMatch(/^application\/problem\+json/);
    // Another user from the same address: its own per-user budget, but the IP's third invitation is its last.
    await t.http().post('/api/v1/invites').set('cookie', b.cookie).send({ email: 'four@limits.test', role: 'viewer' }).expect(201);
    await t.http().post('/api/v1/invites').set('cookie', b.cookie).send({ email: 'five@limits.test', role: 'viewer' }).expect(429);
    expect((await t.control.query(`SELECT count(*)::int AS n FROM invites`)).rows[0].n).toBe(3);

    const bad = { token: 'x'.repeat(43), name: 'Guess', password: 'a long enough password' };
    await t.http().post('/api/v1/invites/accept').send(bad).expect(410);
    await t.http().post('/api/v1/invites/accept').send(bad).expect(410);
    const limited = await t.http().post('/api/v1/invites/accept').send(bad).expect(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
  });
});

describe('accepting with an existing account is no password oracle', () => {
  let t: TestApp;
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url, RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT_IP: '2', RATE_LIMIT_LOGIN_DELAY_SECONDS: '60' });
  });
  afterAll(async () => {
    await t?.close();
    await sink.close();
  });

  it("wrong passwords count against the login limits of the invited account: then 429, even for the right password", async () => {
    const inviter = await registerStudio(t, 'Oracle inviter');
    const victim = await registerStudio(t, 'Oracle victim');
    await t.http().post('/api/v1/invites').set('cookie', inviter.cookie).send({ email: victim.credentials.email, role: 'viewer' }).expect(201);
    const token = await invitationTokenFor(sink, victim.credentials.email);
    for (let i = 0; i < 2; i++) await t.http().post('/api/v1/invites/accept').send({ token, password: `guess number ${i}` }).expect(401);
    const limited = await t.http().post('/api/v1/invites/accept').send({ token, password: victim.credentials.password }).expect(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    // The same counters as login: the login form is locked for this account from here too.
    await t.http().post('/api/v1/auth/login').send({ email: victim.credentials.email, password: victim.credentials.password }).expect(429);
  });
});

import { createTestApp, connectTenantDatabase, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Issue 11: the studio's own subscription. A sign-up starts a 14-day trial; a subscription past due
 * beyond the grace period (or canceled) makes the studio read-only: every write answers 402 and
 * writes nothing, every read still answers, and the account's own security stays usable.
 */
describe('subscription standing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SUBSCRIPTION_GRACE_DAYS: '7' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const setStanding = (organizationId: string, sql: string) => t.control.query(`UPDATE organizations SET ${sql} WHERE id = $1`, [organizationId]);
  const clientCount = async (organizationId: string) => {
    const db = await connectTenantDatabase(t, organizationId);
    try {
      return (await db.query(`SELECT count(*)::int AS n FROM clients`)).rows[0].n as number;
    } finally {
      await db.end();
    }
  };

  it('a new studio is trialing for 14 days', async () => {
    const studio = await registerStudio(t, 'Trial');
    const { rows } = await t.control.query(`SELECT subscription_status, current_period_end FROM organizations WHERE id = $1`, [studio.organizationId]);
    expect(rows[0].subscription_status).toBe('trialing');
    const days = (new Date(rows[0].current_period_end).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThanOrEqual(14);
  });

  it('past due beyond the grace period: writes answer 402 and write nothing; reads and the way out still work', async () => {
    const studio = await registerStudio(t, 'Lapsed');
    const key = (await t.http().post('/api/v1/api-keys').set('cookie', studio.cookie).send({ name: 'Sync', role: 'admin' }).expect(201)).body;
    await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Before' }).expect(201);

    await setStanding(studio.organizationId, `subscription_status = 'past_due', past_due_since = now() - interval '8 days'`);
    const refused = await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'After' });
    expect(refused.status).toBe(402);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: expect.stringMatching(/subscription-past-due$/), status: 402 });
    // Every member sees it (the banner), and the owner sees when it started and what to do.
    expect((await t.http().get('/api/v1/auth/me').set('cookie', studio.cookie).expect(200)).body.subscription).toMatchObject({ status: 'past_due', readOnly: true });
    const billing = (await t.http().get('/api/v1/billing').set('cookie', studio.cookie).expect(200)).body;
    expect(billing).toMatchObject({ status: 'past_due', readOnly: true, graceDays: 7, billingAvailable: false, subscribed: false });
    expect(new Date(billing.readOnlyFrom).getTime() - new Date(billing.pastDueSince).getTime()).toBe(7 * 86_400_000);
    const byKey = await t.http().post('/api/v1/clients').set({ authorization: `Bearer ${key.key}` }).send({ name: 'By key' });
    expect(byKey.status).toBe(402);
    const first = (await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200)).body.items[0];
    await t.http().patch(`/api/v1/clients/${first.id}`).set('cookie', studio.cookie).send({ notes: 'x' }).expect(402);
    await t.http().delete(`/api/v1/clients/${first.id}`).set('cookie', studio.cookie).expect(402);
    expect(await clientCount(studio.organizationId)).toBe(1);

    // Reads: nothing is hidden.
    const list = await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
    expect(list.body.items.map((c: { name: string }) => c.name)).toEqual(['Before']);
    await t.http().get('/api/v1/clients').set({ authorization: `Bearer ${key.key}` }).expect(200);
    // The account's own security: revoking an API key still works, and so does signing out.
    await t.http().delete(`/api/v1/api-keys/${key.id}`).set('cookie', studio.cookie).expect(204);
    await t.http().post('/api/v1/auth/logout').set('cookie', studio.cookie).expect(204);
  });

  it('within the grace period, or once the subscription is active again, writes work', async () => {
    const studio = await registerStudio(t, 'Grace');
    await setStanding(studio.organizationId, `subscription_status = 'past_due', past_due_since = now() - interval '6 days'`);
    await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'In grace' }).expect(201);
    await setStanding(studio.organizationId, `past_due_since = now() - interval '30 days'`);
    await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Late' }).expect(402);
    await setStanding(studio.organizationId, `subscription_status = 'active', past_due_since = NULL, current_period_end = now() + interval '30 days'`);
    await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Paid again' }).expect(201);
    expect(await clientCount(studio.organizationId)).toBe(2);
  });

  it('a canceled subscription past its period and grace is read-only', async () => {
    const studio = await registerStudio(t, 'Canceled');
    await setStanding(studio.organizationId, `subscription_status = 'canceled', current_period_end = now() - interval '10 days'`);
    await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'No' }).expect(402);
    await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
  });

  it('an ended trial locks writes only when billing is in use (STRIPE_PRICE_ID)', async () => {
    const studio = await registerStudio(t, 'Self hosted');
    await setStanding(studio.organizationId, `current_period_end = now() - interval '30 days'`);
    await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Free to write' }).expect(201);

    const billed = await createTestApp({ SUBSCRIPTION_GRACE_DAYS: '7', STRIPE_PRICE_ID: 'price_studio_monthly' });
    try {
      const other = await registerStudio(billed, 'Billed');
      await billed.http().post('/api/v1/clients').set('cookie', other.cookie).send({ name: 'In trial' }).expect(201);
      await billed.control.query(`UPDATE organizations SET current_period_end = now() - interval '8 days' WHERE id = $1`, [other.organizationId]);
      await billed.http().post('/api/v1/clients').set('cookie', other.cookie).send({ name: 'After the trial' }).expect(402);
      await billed.control.query(`UPDATE organizations SET stripe_subscription_id = 'sub_1', subscription_status = 'active', current_period_end = now() + interval '30 days' WHERE id = $1`, [other.organizationId]);
      await billed.http().post('/api/v1/clients').set('cookie', other.cookie).send({ name: 'Subscribed' }).expect(201);
    } finally {
      await billed.close();
    }
  });
});

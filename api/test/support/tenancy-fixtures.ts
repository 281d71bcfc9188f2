import { holdRowLock, waitForLockWaiters } from './review-fixtures.js';
import { type registerStudio, tenantDatabaseOf, type TestApp } from './test-app.js';

/**
 * Holds one of a studio's pool connections busy: a client row is locked from outside, then a PATCH of it
 * starts and waits on the lock inside the app (seen waiting by PostgreSQL before this returns). `release`
 * lets the PATCH finish; `patch` is its response.
 */
export async function holdTenantConnection(t: TestApp, studio: Awaited<ReturnType<typeof registerStudio>>) {
  const { body: client } = await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Locked' }).expect(201);
  const lock = await holdRowLock(t, studio.organizationId, 'clients', client.id);
  const patch = t.http().patch(`/api/v1/clients/${client.id}`).set('cookie', studio.cookie).send({ notes: 'after the lock' }).then((r) => r);
  await waitForLockWaiters(t, await tenantDatabaseOf(t, studio.organizationId), 1);
  return { patch, release: () => lock.release() };
}

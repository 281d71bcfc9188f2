import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * The tenant comes only from the authenticated principal: never from a header, a query parameter or a
 * body field the caller controls (DESIGN.md "Resolution"). This is checked as a property of every tenant
 * route, generated from the committed route table (openapi.json), so a new feature's routes are covered
 * the day they exist: studio A's owner sends B's organization id in every tenant-looking place and must
 * still see only A's rows, get 404 for B's ids, and leave B untouched.
 */
type Schema = { type?: string; format?: string; enum?: unknown[]; properties?: Record<string, Schema>; required?: string[]; $ref?: string; maxLength?: number; minLength?: number; allOf?: Schema[] };
type Operation = { security?: Array<Record<string, unknown>>; requestBody?: { content: Record<string, { schema: Schema }> } };
type Spec = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

// RSM_REPO_ROOT: set by `npm run mutate`, whose Stryker sandbox holds a copy of api/ only.
const root = process.env.RSM_REPO_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const spec: Spec = JSON.parse(readFileSync(resolve(root, 'openapi.json'), 'utf8'));

/** Tenant collections: authenticated /api/v1 paths outside auth with a POST (create) and an /{id} item path. */
function tenantCollections(): string[] {
  return Object.keys(spec.paths)
    .filter((p) => p.startsWith('/api/v1/') && !p.startsWith('/api/v1/auth/'))
    .filter((p) => spec.paths[p].post && spec.paths[`${p}/{id}`])
    .filter((p) => (spec.paths[p].post.security ?? []).some((s) => Object.keys(s).length > 0));
}

/** Every tenant route (method + path), so the test can prove each one was exercised. */
function tenantRoutes(): string[] {
  return Object.entries(spec.paths)
    .filter(([p]) => p.startsWith('/api/v1/') && !p.startsWith('/api/v1/auth/'))
    .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
    .sort();
}

function deref(schema: Schema): Schema {
  if (schema.$ref) return deref(spec.components.schemas[schema.$ref.split('/').pop()!]);
  if (schema.allOf) return schema.allOf.map(deref).reduce((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties } }), {});
  return schema;
}

/** A valid value for a simple property schema; throws for shapes a fixture must provide. */
function sample(schema: Schema, label: string): unknown {
  const s = deref(schema);
  if (s.enum) return s.enum[0];
  if (s.type === 'string' && s.format === 'email') return `${label.toLowerCase().replace(/\W/g, '')}@tenant.test`;
  if (s.type === 'string' && !s.format) return label.slice(0, s.maxLength ?? 200);
  if (s.type === 'integer' || s.type === 'number') return 1;
  if (s.type === 'boolean') return true;
  throw new Error(`No sample for ${JSON.stringify(s)}: add a create fixture for this resource in tenant-resolution.e2e-spec.ts`);
}

function bodyFor(operation: Operation, label: string, all = false): Record<string, unknown> {
  const schema = deref(operation.requestBody!.content['application/json'].schema);
  const keys = all ? Object.keys(schema.properties ?? {}) : (schema.required ?? []);
  const body = Object.fromEntries(keys.filter((k) => !all || deref(schema.properties![k]).type === 'string').slice(0, all ? 1 : undefined).map((k) => [k, sample(schema.properties![k], label)]));
  if (!Object.keys(body).length) throw new Error(`Cannot derive a body for ${label}`);
  return body;
}

describe('the tenant comes only from the session, on every tenant route', () => {
  let t: TestApp;
  let a: Awaited<ReturnType<typeof registerStudio>>;
  let b: Awaited<ReturnType<typeof registerStudio>>;

  beforeAll(async () => {
    t = await createTestApp();
    a = await registerStudio(t, 'Resolver A');
    b = await registerStudio(t, 'Resolver B');
  });
  afterAll(async () => {
    await t.close();
  });

  /** Every place a careless resolver might read a tenant from, all naming studio B. */
  const spoof = (req: import('supertest').Test, cookie: string) =>
    req
      .set('cookie', cookie)
      .set('x-tenant-id', b.organizationId)
      .set('x-organization-id', b.organizationId)
      .set('x-org', b.organizationId)
      .set('x-org-id', b.organizationId)
      .set('tenant', b.organizationId);
  const withTenantQuery = (url: string) => `${url}${url.includes('?') ? '&' : '?'}tenant=${b.organizationId}&organizationId=${b.organizationId}`;

  it('covers at least the clients collection (the route table is read)', () => {
    expect(tenantCollections()).toContain('/api/v1/clients');
  });

  it.each(tenantCollections())('%s: own rows only, 404 for the other studio\'s ids, the other studio untouched', async (path) => {
    const exercised = new Set<string>();
    const item = `${path}/{id}`;
    const ops = spec.paths[path];
    const itemOps = spec.paths[item];

    const create = async (cookie: string, label: string, spoofed = false) => {
      const req = t.http().post(spoofed ? withTenantQuery(path) : path);
      const res = await (spoofed ? spoof(req, cookie) : req.set('cookie', cookie)).send(bodyFor(ops.post, label));
      expect(res.status).toBe(201);
      return res.body as { id: string };
    };
    /** Whether a studio sees a row: its item route when there is one, else its list (invites, API keys have no item GET). */
    const sees = async (cookie: string, id: string) => {
      if (itemOps.get) {
        const res = await t.http().get(item.replace('{id}', id)).set('cookie', cookie);
        expect([200, 404]).toContain(res.status);
        return res.status === 200;
      }
      const list = await t.http().get(`${path}?limit=100`).set('cookie', cookie).expect(200);
      return (list.body.items as Array<{ id: string }>).some((r) => r.id === id);
    };
    const snapshot = async (cookie: string, id: string) =>
      itemOps.get
        ? (await t.http().get(item.replace('{id}', id)).set('cookie', cookie).expect(200)).body
        : ((await t.http().get(`${path}?limit=100`).set('cookie', cookie).expect(200)).body.items as Array<{ id: string }>).find((r) => r.id === id);
    const bRow = await create(b.cookie, 'Row of B');
    const bBefore = await snapshot(b.cookie, bRow.id);

    // Create while naming B everywhere: the row lands in A.
    const aRow = await create(a.cookie, 'Row of A', true);
    exercised.add(`POST ${path}`);
    expect(await sees(a.cookie, aRow.id)).toBe(true);
    expect(await sees(b.cookie, aRow.id)).toBe(false);

    if (ops.get) {
      const list = await spoof(t.http().get(`${path}?limit=100`), a.cookie).expect(200);
      const ids = (list.body.items as Array<{ id: string }>).map((r) => r.id);
      expect(ids).toContain(aRow.id);
      expect(ids).not.toContain(bRow.id);
      // A tenant-looking query parameter is either refused as unknown (400) or ignored: never B's rows.
      const queried = await spoof(t.http().get(withTenantQuery(`${path}?limit=100`)), a.cookie);
      if (queried.status !== 400) {
        expect(queried.status).toBe(200);
        expect((queried.body.items as Array<{ id: string }>).map((r) => r.id)).not.toContain(bRow.id);
      }
      exercised.add(`GET ${path}`);
    }
    if (itemOps.get) {
      await spoof(t.http().get(withTenantQuery(item.replace('{id}', bRow.id))), a.cookie).expect(404);
      await spoof(t.http().get(withTenantQuery(item.replace('{id}', aRow.id))), a.cookie).expect(200);
      exercised.add(`GET ${item}`);
    }
    if (itemOps.patch) {
      const patch = bodyFor(itemOps.patch, 'Changed by A', true);
      await spoof(t.http().patch(withTenantQuery(item.replace('{id}', bRow.id))), a.cookie).send(patch).expect(404);
      await spoof(t.http().patch(withTenantQuery(item.replace('{id}', aRow.id))), a.cookie).send(patch).expect(200);
      exercised.add(`PATCH ${item}`);
    }
    if (itemOps.delete) {
      await spoof(t.http().delete(withTenantQuery(item.replace('{id}', bRow.id))), a.cookie).expect(404);
      await spoof(t.http().delete(withTenantQuery(item.replace('{id}', aRow.id))), a.cookie).expect(204);
      expect(await sees(a.cookie, aRow.id)).toBe(false);
      exercised.add(`DELETE ${item}`);
    }

    // B's row is exactly as it was.
    expect(await snapshot(b.cookie, bRow.id)).toEqual(bBefore);
    // Every route of this resource was exercised: a new method on it must be added above.
    const ofResource = tenantRoutes().filter((r) => r.endsWith(` ${path}`) || r.endsWith(` ${item}`));
    expect([...exercised].sort()).toEqual(ofResource);
  });

  it('members and the audit log (no create route): own rows only, 404 for the other studio\'s member ids, the other studio untouched', async () => {
    const ids = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((r) => r.id);
    const bMembers = (await t.http().get('/api/v1/members').set('cookie', b.cookie).expect(200)).body.items as Array<{ id: string; userId: string }>;
    const aMembers = (await spoof(t.http().get('/api/v1/members'), a.cookie).expect(200)).body.items as Array<{ id: string; userId: string }>;
    expect(aMembers.map((m) => m.userId)).toEqual([a.userId]);
    const bMember = bMembers[0].id;
    await spoof(t.http().patch(withTenantQuery(`/api/v1/members/${bMember}`)), a.cookie).send({ role: 'viewer' }).expect(404);
    await spoof(t.http().delete(withTenantQuery(`/api/v1/members/${bMember}`)), a.cookie).expect(404);
    expect((await t.http().get('/api/v1/members').set('cookie', b.cookie).expect(200)).body.items).toEqual(bMembers);

    // Both studios wrote audit entries above (clients, invites, keys): each log holds only its own.
    const aAudit = ids(await spoof(t.http().get('/api/v1/audit?limit=100'), a.cookie).expect(200));
    const bAudit = ids(await t.http().get('/api/v1/audit?limit=100').set('cookie', b.cookie).expect(200));
    expect(aAudit.length).toBeGreaterThan(0);
    expect(bAudit.length).toBeGreaterThan(0);
    expect(aAudit.filter((id) => bAudit.includes(id))).toEqual([]);
  });

  it('every tenant route belongs to a collection exercised above (add a case for any other shape)', () => {
    // Members and the audit log have their own case above; accepting an invitation is public: its
    // studio comes from the invitation the token names (test/invites.e2e-spec.ts).
    const covered = [...tenantCollections().flatMap((p) => [p, `${p}/{id}`]), '/api/v1/members', '/api/v1/members/{id}', '/api/v1/audit', '/api/v1/invites/accept'];
    const uncovered = tenantRoutes().filter((r) => !covered.includes(r.split(' ')[1]));
    expect(uncovered).toEqual([]);
  });
});

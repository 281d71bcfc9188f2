// Three minimal Nest-on-Fastify apps that differ only in how a service reaches "its tenant":
//   request   — a Scope.REQUEST provider injecting REQUEST, which makes the service and controller
//               request-scoped too: Nest builds the three of them on every request;
//   durable   — issue 14: the same provider with `durable: true` and a ContextIdStrategy keyed by
//               tenant (ContextIdFactory.apply): Nest builds the sub-tree once per tenant and hands it
//               to every later request of that tenant; REQUEST is then the strategy's payload;
//   als       — singletons reading the tenant from an AsyncLocalStorage entered per request (api/ today).
// All run the same small real query on PostgreSQL and return the same JSON.
//   node [--expose-gc] server.mjs <request|durable|als>   (env PORT, DATABASE_URL)
// GET /memory answers process.memoryUsage() after a full GC (with --expose-gc): the bench reads it
// before and after touching every tenant, for the memory a durable sub-tree keeps per tenant. GET
// /memory/cpu answers the process's CPU time and the /clients requests served (no GC): CPU per request
// is steadier than req/s on a shared, loaded machine.
// Plain .mjs: decorators are applied as functions, with explicit injection tokens.
import 'reflect-metadata';
import { Controller, Get, Inject, Injectable, Module, Scope } from '@nestjs/common';
import { ContextIdFactory, NestFactory, REQUEST } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

const variant = process.argv[2];
if (!['request', 'durable', 'als'].includes(variant)) throw new Error('usage: server.mjs <request|durable|als>');

const POOL = Symbol('POOL');
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 3 });
const QUERY = `SELECT $1::text AS tenant, g AS n FROM generate_series(1, 20) AS g`;

/** Applies a method decorator to a plain class method. */
const decorate = (decorator, cls, method) =>
  decorator(cls.prototype, method, Object.getOwnPropertyDescriptor(cls.prototype, method));

// --- variant "request": the tenant accessor is request-scoped --------------------------------
class RequestTenant {
  constructor(request) {
    this.request = request;
  }
  get tenantId() {
    return this.request.headers['x-tenant'];
  }
}
Injectable({ scope: Scope.REQUEST })(RequestTenant);
Inject(REQUEST)(RequestTenant, undefined, 0);

// --- variant "durable": one sub-tree per tenant (issue 14) --------------------------------------
// The strategy gives each request a context whose durable parts resolve in the tenant's own context
// (one ContextId per tenant, kept in a Map: that Map is what keeps each tenant's sub-tree alive), and
// the tenant id as payload: in a durable tree REQUEST is that payload, never a particular request.
class TenantContextIdStrategy {
  tenants = new Map();
  attach(contextId, request) {
    const tenantId = request.headers['x-tenant'];
    let tenantContext = this.tenants.get(tenantId);
    if (!tenantContext) {
      tenantContext = ContextIdFactory.create();
      this.tenants.set(tenantId, tenantContext);
    }
    return { resolve: (info) => (info.isTreeDurable ? tenantContext : contextId), payload: { tenantId } };
  }
}
class DurableTenant {
  constructor(payload) {
    this.tenantId = payload.tenantId; // bound once, for the life of the tenant's sub-tree
  }
}
Injectable({ scope: Scope.REQUEST, durable: true })(DurableTenant);
Inject(REQUEST)(DurableTenant, undefined, 0);
if (variant === 'durable') ContextIdFactory.apply(new TenantContextIdStrategy());

// --- variant "als": the tenant comes from AsyncLocalStorage --------------------------------
const als = new AsyncLocalStorage();
class AlsTenant {
  get tenantId() {
    return als.getStore().tenantId;
  }
}
Injectable()(AlsTenant);

const TENANT = { request: RequestTenant, durable: DurableTenant, als: AlsTenant }[variant];

class ClientsService {
  constructor(tenant, db) {
    this.tenant = tenant;
    this.db = db;
  }
  async list() {
    served++;
    const { rows } = await this.db.query(QUERY, [this.tenant.tenantId]);
    return { items: rows.map((r) => ({ tenant: r.tenant, n: r.n })), nextCursor: null };
  }
}
Injectable()(ClientsService);
Inject(TENANT)(ClientsService, undefined, 0);
Inject(POOL)(ClientsService, undefined, 1);

let served = 0; // /clients requests answered
let controllersBuilt = 0; // how many times Nest built the controller (once per request, per tenant, or once)
class ClientsController {
  constructor(service) {
    controllersBuilt++;
    this.service = service;
  }
  list() {
    return this.service.list();
  }
}
Controller('clients')(ClientsController);
Inject(ClientsService)(ClientsController, undefined, 0);
decorate(Get(), ClientsController, 'list');

class MemoryController {
  memory() {
    globalThis.gc?.();
    return { ...process.memoryUsage(), controllersBuilt };
  }
  cpu() {
    const { user, system } = process.cpuUsage();
    return { cpuMicros: user + system, served };
  }
}
Controller('memory')(MemoryController);
decorate(Get(), MemoryController, 'memory');
decorate(Get('cpu'), MemoryController, 'cpu');

class AppModule {}
Module({ controllers: [ClientsController, MemoryController], providers: [TENANT, ClientsService, { provide: POOL, useValue: pool }] })(AppModule);

const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: ['error'] });
if (variant === 'als') {
  // Enter the tenant's context for the whole request (as an auth guard would after resolving it).
  app.getHttpAdapter().getInstance().addHook('onRequest', (request, _reply, done) => {
    als.run({ tenantId: request.headers['x-tenant'] }, done);
  });
}
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
const shutdown = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
process.stdout.write(`ready ${variant}\n`);

// Two minimal Nest-on-Fastify apps that differ only in how a service reaches "its tenant":
//   request   — a Scope.REQUEST provider injecting REQUEST (what api/ does with TenantConnection),
//               which makes the service and controller request-scoped too;
//   als       — singletons reading the tenant from an AsyncLocalStorage entered per request.
// Both run the same small real query on PostgreSQL and return the same JSON.
//   node server.mjs <request|als>   (env PORT, DATABASE_URL)
// Plain .mjs: decorators are applied as functions, with explicit injection tokens.
import 'reflect-metadata';
import { Controller, Get, Inject, Injectable, Module, Scope } from '@nestjs/common';
import { NestFactory, REQUEST } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

const variant = process.argv[2];
if (variant !== 'request' && variant !== 'als') throw new Error('usage: server.mjs <request|als>');

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

// --- variant "als": the tenant comes from AsyncLocalStorage --------------------------------
const als = new AsyncLocalStorage();
class AlsTenant {
  get tenantId() {
    return als.getStore().tenantId;
  }
}
Injectable()(AlsTenant);

const TENANT = variant === 'request' ? RequestTenant : AlsTenant;

class ClientsService {
  constructor(tenant, db) {
    this.tenant = tenant;
    this.db = db;
  }
  async list() {
    const { rows } = await this.db.query(QUERY, [this.tenant.tenantId]);
    return { items: rows.map((r) => ({ tenant: r.tenant, n: r.n })), nextCursor: null };
  }
}
Injectable()(ClientsService);
Inject(TENANT)(ClientsService, undefined, 0);
Inject(POOL)(ClientsService, undefined, 1);

class ClientsController {
  constructor(service) {
    this.service = service;
  }
  list() {
    return this.service.list();
  }
}
Controller('clients')(ClientsController);
Inject(ClientsService)(ClientsController, undefined, 0);
decorate(Get(), ClientsController, 'list');

class AppModule {}
Module({ controllers: [ClientsController], providers: [TENANT, ClientsService, { provide: POOL, useValue: pool }] })(AppModule);

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

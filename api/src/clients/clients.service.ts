import { HttpStatus, Injectable } from '@nestjs/common';
import { DEFAULT_PAGE_SIZE } from '../common/pagination.js';
import { onForeignKeyViolation } from '../common/pg-errors.js';
import { ProblemException } from '../common/problem.js';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { AuditLog } from '../audit/audit-log.service.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { Client } from './client.entity.js';
import { clientListStatements, DEFAULT_CLIENT_SORT, decodeClientCursor, encodeClientCursor } from './clients-list.query.js';
import type { ClientDto, ClientListDto } from './dto/client.dto.js';
import type { CreateClientDto, ListClientsQueryDto, UpdateClientDto } from './dto/client-input.dto.js';

const EDITABLE = ['name', 'email', 'phone', 'company', 'notes', 'billingAddress', 'taxId'] as const;

const notFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No client with this id in your studio.');

export function toClientDto(c: Client): ClientDto {
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    phone: c.phone,
    company: c.company,
    notes: c.notes,
    billingAddress: c.billingAddress,
    taxId: c.taxId,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/** The studio's clients. The model every tenant feature copies: all data access through TenantConnection. */
@Injectable()
export class ClientsService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
  ) {}

  async create(dto: CreateClientDto): Promise<ClientDto> {
    // The audit entry is written in the same tenant transaction as the row (issue 7).
    const saved = await this.tenant.transaction(async (m) => {
      const repo = m.getRepository(Client);
      const client = await repo.save(repo.create({ name: dto.name, email: dto.email ?? null, phone: dto.phone ?? null, company: dto.company ?? null, notes: dto.notes ?? null, billingAddress: dto.billingAddress ?? null, taxId: dto.taxId ?? null }));
      await this.audit.record(m, { action: 'client.created', targetType: 'client', targetId: client.id, details: { name: client.name } });
      return client;
    });
    return toClientDto(saved);
  }

  /**
   * One page in the requested order (ties broken by id; see clients-list.query.ts), after the cursor's
   * row, and how many clients match the search in all: the total ignores the cursor, so it stays the
   * same on every page.
   */
  async list(query: ListClientsQueryDto): Promise<ClientListDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const sort = query.sort ?? DEFAULT_CLIENT_SORT;
    const after = query.cursor ? decodeClientCursor(query.cursor, sort) : undefined;
    // Issue 14, perf: a hot read, so fixed SQL through TenantConnection.read (clients-list.query.ts).
    const { page, count } = clientListStatements(query.q, sort, after, limit + 1);
    // One after the other, as before: one connection of the studio's small pool per request.
    const rows = await this.tenant.read(page.query, page.params);
    const [total] = await this.tenant.read(count.query, count.params);
    const shown = rows.slice(0, limit);
    const last = shown[shown.length - 1];
    return {
      items: shown.map((r) => r.client),
      nextCursor: rows.length > limit && last ? encodeClientCursor(sort, { key: last.sortKey, id: last.client.id }) : null,
      total: total ?? 0,
    };
  }

  async get(id: string): Promise<ClientDto> {
    const client = await this.tenant.withRepository(Client, (repo) => repo.findOneBy({ id }));
    if (!client) throw notFound();
    return toClientDto(client);
  }

  /**
   * Read-modify-write in one transaction, with the row locked, so concurrent patches don't lose fields.
   * Only the fields given are written, and updated_at is stamped after the lock, in commit order: the
   * transaction's start time (what now() and TypeORM's UpdateDateColumn write) can be earlier than a
   * write this one waited for, and updatedAt must never go backwards.
   */
  async update(id: string, dto: UpdateClientDto): Promise<ClientDto> {
    const updated = await this.tenant.transaction(async (m) => {
      const repo = m.getRepository(Client);
      const client = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!client) throw notFound();
      const changes: QueryDeepPartialEntity<Client> = {};
      for (const key of EDITABLE) if (dto[key] !== undefined) (changes as Record<string, unknown>)[key] = dto[key];
      await repo
        .createQueryBuilder()
        .update()
        .set({ ...changes, updatedAt: () => 'GREATEST(clock_timestamp(), "updated_at")' })
        .where('id = :id', { id })
        .execute();
      await this.audit.record(m, { action: 'client.updated', targetType: 'client', targetId: id, details: { fields: Object.keys(changes).sort() } });
      return repo.findOneByOrFail({ id });
    });
    return toClientDto(updated);
  }

  async remove(id: string): Promise<void> {
    await this.tenant
      .transaction(async (m) => {
        const result = await m.getRepository(Client).delete({ id });
        if (!result.affected) throw notFound();
        await this.audit.record(m, { action: 'client.deleted', targetType: 'client', targetId: id });
      })
      // Issue 9, bookings: a client's bookings keep it (foreign key ON DELETE RESTRICT): history is not erased.
      .catch(onForeignKeyViolation(() => new ProblemException(HttpStatus.CONFLICT, 'client-in-use', 'This client has bookings: cancel or keep them; the client cannot be deleted.')));
  }
}

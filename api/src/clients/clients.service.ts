import { HttpStatus, Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, invalidCursor } from '../common/pagination.js';
import { ProblemException } from '../common/problem.js';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { AuditLog } from '../audit/audit-log.service.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { Client } from './client.entity.js';
import type { ClientDto, ClientListDto } from './dto/client.dto.js';
import type { CreateClientDto, ListClientsQueryDto, UpdateClientDto } from './dto/client-input.dto.js';

const EDITABLE = ['name', 'email', 'phone', 'company', 'notes'] as const;

const notFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No client with this id in your studio.');

/** Escapes LIKE wildcards so a search for "50%" means the text "50%". */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function toClientDto(c: Client): ClientDto {
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    phone: c.phone,
    company: c.company,
    notes: c.notes,
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
      const client = await repo.save(repo.create({ name: dto.name, email: dto.email ?? null, phone: dto.phone ?? null, company: dto.company ?? null, notes: dto.notes ?? null }));
      await this.audit.record(m, { action: 'client.created', targetType: 'client', targetId: client.id, details: { name: client.name } });
      return client;
    });
    return toClientDto(saved);
  }

  /** Ordered by lower(name), id (index idx_clients_name_order); the cursor is the last row's key. */
  async list(query: ListClientsQueryDto): Promise<ClientListDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const { entities, raw } = await this.tenant.withRepository(Client, (repo) => {
      // The sort key comes back from SQL, so the cursor compares exactly as PostgreSQL's lower() does.
      const qb = repo
        .createQueryBuilder('c')
        .addSelect('lower(c.name)', 'sort_name')
        .orderBy('lower(c.name)', 'ASC')
        .addOrderBy('c.id', 'ASC')
        .limit(limit + 1);
      const q = query.q?.trim();
      if (q) qb.andWhere(`(c.name ILIKE :p OR c.email ILIKE :p OR c.phone ILIKE :p OR c.company ILIKE :p)`, { p: likePattern(q) });
      if (query.cursor) {
        const [name, id] = decodeCursor(query.cursor, ['string', 'string']) as [string, string];
        if (!isUUID(id)) throw invalidCursor();
        qb.andWhere('(lower(c.name), c.id) > (:name, :id)', { name, id });
      }
      return qb.getRawAndEntities<{ sort_name: string }>();
    });
    const page = entities.slice(0, limit);
    const last = raw[page.length - 1];
    return {
      items: page.map(toClientDto),
      nextCursor: entities.length > limit && last ? encodeCursor([last.sort_name, page[page.length - 1].id]) : null,
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
    await this.tenant.transaction(async (m) => {
      const result = await m.getRepository(Client).delete({ id });
      if (!result.affected) throw notFound();
      await this.audit.record(m, { action: 'client.deleted', targetType: 'client', targetId: id });
    });
  }
}

import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { roleAtLeast } from '../auth/access.decorator.js';
import { newApiKeySecret } from '../auth/api-key-credentials.service.js';
import type { Caller, Principal } from '../auth/auth.types.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, invalidCursor } from '../common/pagination.js';
import { ProblemException, ValidationProblem } from '../common/problem.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import type { Role } from '../control/membership.entity.js';
import { ownersOnly } from '../members/members.errors.js';
import type { ApiKeyDto, ApiKeyListDto, CreateApiKeyDto, CreatedApiKeyDto, ListApiKeysQueryDto } from './dto/api-key.dto.js';

interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  created_by: string;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
}

const COLUMNS = 'id, name, role, prefix, created_by, created_at, last_used_at, expires_at';
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

const toDto = (r: ApiKeyRow): ApiKeyDto => ({
  id: r.id,
  name: r.name,
  role: r.role,
  prefix: r.prefix,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
  lastUsedAt: iso(r.last_used_at),
  expiresAt: iso(r.expires_at),
});

const notFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No API key with this id in your studio.');
const roleAboveYours = () => new ProblemException(HttpStatus.FORBIDDEN, 'role-above-yours', 'An API key cannot have a role above your own.');
const expiryInPast = () => new ValidationProblem([{ field: 'expiresAt', messages: ['expiresAt must be in the future'] }]);

/** Integrators' API keys: created (secret shown once), listed, revoked. Authentication with them is ApiKeyCredentials. */
@Injectable()
export class ApiKeysService {
  constructor(
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async create(caller: Principal, dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    if (!roleAtLeast(caller.role, dto.role)) throw roleAboveYours();
    const expiresAt = dto.expiresAt ? new Date(dto.expiresAt) : null;
    if (expiresAt && !(expiresAt.getTime() > Date.now())) throw expiryInPast();
    const { key, prefix, secretHash } = newApiKeySecret();
    const row = await this.audit.around(
      caller.organizationId,
      async () => {
        const [created] = (await this.control.query(
          `INSERT INTO api_keys (organization_id, created_by, name, prefix, secret_hash, role, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
          [caller.organizationId, caller.userId, dto.name, prefix, secretHash, dto.role, expiresAt],
        )) as ApiKeyRow[];
        return created;
      },
      (r) => ({ action: 'api_key.created', targetType: 'api_key', targetId: r.id, details: { name: r.name, role: r.role, prefix: r.prefix, expiresAt: iso(r.expires_at) } }),
    );
    return { ...toDto(row), key };
  }

  /** By name, then id. */
  async list(caller: Caller, query: ListApiKeysQueryDto): Promise<ApiKeyListDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const params: unknown[] = [caller.organizationId, limit + 1];
    let after = '';
    if (query.cursor) {
      const [name, id] = decodeCursor(query.cursor, ['string', 'string']) as [string, string];
      if (!isUUID(id) || name.length > 100) throw invalidCursor();
      params.push(name, id);
      after = 'AND (name, id) > ($3, $4)';
    }
    const rows: ApiKeyRow[] = await this.control.query(
      `SELECT ${COLUMNS} FROM api_keys WHERE organization_id = $1 ${after} ORDER BY name, id LIMIT $2`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toDto), nextCursor: rows.length > limit ? encodeCursor([last.name, last.id]) : null };
  }

  /** Deletes the key: the very next request with it is a 401. An owner-role key only an owner revokes. */
  async revoke(caller: Principal, id: string): Promise<void> {
    await this.audit.around(
      caller.organizationId,
      () =>
        this.control.transaction(async (m) => {
          const [row] = (await m.query(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1 AND organization_id = $2 FOR UPDATE`, [id, caller.organizationId])) as ApiKeyRow[];
          if (!row) throw notFound();
          if (row.role === 'owner' && caller.role !== 'owner') throw ownersOnly();
          await m.query(`DELETE FROM api_keys WHERE id = $1`, [id]);
          return row;
        }),
      (r) => ({ action: 'api_key.revoked', targetType: 'api_key', targetId: r.id, details: { name: r.name, role: r.role, prefix: r.prefix } }),
    );
  }
}

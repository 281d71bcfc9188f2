import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { createdKey, DEFAULT_PAGE_SIZE, decodeNewestFirstCursor, encodeCursor, type PagedList } from '../common/pagination.js';
import { ProblemException, ValidationProblem } from '../common/problem.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type {
  CreateWebhookEndpointDto,
  UpdateWebhookEndpointDto,
  WebhookDeliveryDto,
  WebhookEndpointDto,
  WebhookEndpointWithSecretDto,
} from './dto/webhook.dto.js';
import type { DeliveryStatus } from './webhook-delivery.entity.js';
import { messageId, WebhookDeliveryWorker } from './webhook-delivery.worker.js';
import { newWebhookSecret, PING_EVENT, RETRY_WINDOW_MS } from './webhook-events.js';
import { assertPublicUrl, urlForRecords } from './webhook-url-guard.js';

interface EndpointRow {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  secret: string;
  enabled: boolean;
  disabled_reason: string | null;
  failing_since: Date | null;
  created_at: Date;
  updated_at: Date;
  sort_key?: string;
}

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string | null;
  event_type: string;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: Date | null;
  last_attempt_at: Date | null;
  last_response_code: number | null;
  last_duration_ms: number | null;
  last_error: string | null;
  created_at: Date;
  sort_key?: string;
}

const ENDPOINT_COLUMNS = 'id, url, description, events, secret, enabled, disabled_reason, failing_since, created_at, updated_at';
const DELIVERY_COLUMNS = 'id, endpoint_id, event_id, event_type, status, attempt_count, next_attempt_at, last_attempt_at, last_response_code, last_duration_ms, last_error, created_at';
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

const toEndpointDto = (r: EndpointRow): WebhookEndpointDto => ({
  id: r.id,
  url: r.url,
  description: r.description,
  events: r.events,
  enabled: r.enabled,
  disabledReason: r.disabled_reason,
  failingSince: iso(r.failing_since),
  secretHint: `whsec_…${r.secret.slice(-4)}`,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

export const toDeliveryDto = (r: DeliveryRow): WebhookDeliveryDto => ({
  id: r.id,
  endpointId: r.endpoint_id,
  messageId: messageId(r),
  eventType: r.event_type,
  status: r.status,
  attemptCount: r.attempt_count,
  nextAttemptAt: iso(r.next_attempt_at),
  lastAttemptAt: iso(r.last_attempt_at),
  lastResponseCode: r.last_response_code,
  lastDurationMs: r.last_duration_ms,
  lastError: r.last_error,
  createdAt: new Date(r.created_at).toISOString(),
});

const endpointNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No webhook endpoint with this id in your studio.');
const deliveryNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No webhook delivery with this id in your studio.');
const endpointDisabled = () => new ProblemException(HttpStatus.CONFLICT, 'webhook-endpoint-disabled', 'The endpoint is disabled: enable it first.');
const deliveryInFlight = () =>
  new ProblemException(HttpStatus.CONFLICT, 'webhook-delivery-in-flight', 'An attempt of this delivery is waiting for the receiver right now: its outcome will show in the log. Redeliver after that.');
const credentialsInUrl = () => new ValidationProblem([{ field: 'url', messages: ['url must not contain a user name or password (use the signature to authenticate deliveries)'] }]);

/**
 * Issue 13, webhooks: the studio's endpoints (admins), their delivery log, manual redelivery and test
 * pings. Every write is audited in its own transaction; the secret appears only in create and roll answers.
 */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
    private readonly worker: WebhookDeliveryWorker,
  ) {}

  /** Refuses URLs with credentials, and (unless allowed) hosts that are or resolve to private addresses. */
  private async checkUrl(url: string): Promise<void> {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) throw credentialsInUrl();
    if (!this.config.webhooks.allowPrivateUrls) await assertPublicUrl(parsed);
  }

  async create(dto: CreateWebhookEndpointDto): Promise<WebhookEndpointWithSecretDto> {
    await this.checkUrl(dto.url);
    const secret = newWebhookSecret();
    const row = await this.tenant.transaction(async (m) => {
      const [created] = (await m.query(`INSERT INTO webhook_endpoints (url, description, events, secret, enabled) VALUES ($1, $2, $3, $4, $5) RETURNING ${ENDPOINT_COLUMNS}`, [
        dto.url,
        dto.description ?? null,
        dto.events,
        secret,
        dto.enabled ?? true,
      ])) as EndpointRow[];
      await this.audit.record(m, { action: 'webhook_endpoint.created', targetType: 'webhook_endpoint', targetId: created.id, details: { url: urlForRecords(created.url), events: created.events } });
      return created;
    });
    return { ...toEndpointDto(row), secret };
  }

  /** Newest first. */
  async list(query: { cursor?: string; limit?: number }): Promise<PagedList<WebhookEndpointDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor ? decodeNewestFirstCursor(query.cursor) : undefined;
    const rows = (await this.tenant.run((m) =>
      m.query(
        `SELECT ${ENDPOINT_COLUMNS}, ${createdKey('e')} AS sort_key FROM webhook_endpoints e
          WHERE $2::timestamptz IS NULL OR (e.created_at, e.id) < ($2::timestamptz, $3::uuid) ORDER BY e.created_at DESC, e.id DESC LIMIT $1`,
        [limit + 1, after?.key ?? null, after?.id ?? null],
      ),
    )) as EndpointRow[];
    return page(rows, limit, toEndpointDto);
  }

  async get(id: string): Promise<WebhookEndpointDto> {
    return toEndpointDto(await this.tenant.run((m) => this.find(m, id)));
  }

  private async find(m: EntityManager, id: string, lock = false): Promise<EndpointRow> {
    const [row] = (await m.query(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id])) as EndpointRow[];
    if (!row) throw endpointNotFound();
    return row;
  }

  /** Read-modify-write with the row locked: concurrent changes of different fields all stick. */
  async update(id: string, dto: UpdateWebhookEndpointDto): Promise<WebhookEndpointDto> {
    if (dto.url !== undefined) await this.checkUrl(dto.url);
    const row = await this.tenant.transaction(async (m) => {
      const current = await this.find(m, id, true);
      const changes: Record<string, unknown> = {};
      if (dto.url !== undefined) changes.url = dto.url;
      if (dto.description !== undefined) changes.description = dto.description;
      if (dto.events !== undefined) changes.events = dto.events;
      if (dto.enabled !== undefined) changes.enabled = dto.enabled;
      // Enabled again (by a person): a fresh start, not a 3-day failure record that disables it at the next miss.
      if (dto.enabled === true && !current.enabled) Object.assign(changes, { disabled_reason: null, failing_since: null });
      if (dto.enabled === false) changes.disabled_reason = null;
      const columns = Object.keys(changes);
      const [updated] = (await m.query(
        `UPDATE webhook_endpoints SET ${columns.map((c, i) => `"${c}" = $${i + 2}`).join(', ')}${columns.length ? ', ' : ''}updated_at = GREATEST(clock_timestamp(), updated_at) WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
        [id, ...Object.values(changes)],
      )) as [EndpointRow[], number];
      await this.audit.record(m, { action: 'webhook_endpoint.updated', targetType: 'webhook_endpoint', targetId: id, details: { fields: Object.entries(dto).filter(([, v]) => v !== undefined).map(([k]) => k).sort() } });
      return updated[0];
    });
    // Enabled again: its waiting deliveries go now (the sweep leaves a disabled endpoint's alone).
    if (dto.enabled === true) this.worker.kick(this.tenant.tenantId);
    return toEndpointDto(row);
  }

  async remove(id: string): Promise<void> {
    await this.tenant.transaction(async (m) => {
      const [deleted] = (await m.query(`DELETE FROM webhook_endpoints WHERE id = $1 RETURNING url`, [id])) as [Array<{ url: string }>, number];
      if (!deleted.length) throw endpointNotFound();
      await this.audit.record(m, { action: 'webhook_endpoint.deleted', targetType: 'webhook_endpoint', targetId: id, details: { url: urlForRecords(deleted[0].url) } });
    });
  }

  /** A new secret at once: deliveries from now on are signed with it (the old one stops verifying). */
  async rollSecret(id: string): Promise<WebhookEndpointWithSecretDto> {
    const secret = newWebhookSecret();
    const row = await this.tenant.transaction(async (m) => {
      await this.find(m, id, true);
      const [updated] = (await m.query(`UPDATE webhook_endpoints SET secret = $2, updated_at = GREATEST(clock_timestamp(), updated_at) WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`, [id, secret])) as [EndpointRow[], number];
      await this.audit.record(m, { action: 'webhook_endpoint.secret_rolled', targetType: 'webhook_endpoint', targetId: id });
      return updated[0];
    });
    return { ...toEndpointDto(row), secret };
  }

  /** Newest first. */
  async deliveries(endpointId: string, query: { cursor?: string; limit?: number }): Promise<PagedList<WebhookDeliveryDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor ? decodeNewestFirstCursor(query.cursor) : undefined;
    const rows = await this.tenant.run(async (m) => {
      await this.find(m, endpointId);
      return (await m.query(
        `SELECT ${DELIVERY_COLUMNS}, ${createdKey('d')} AS sort_key FROM webhook_deliveries d
          WHERE endpoint_id = $4 AND ($2::timestamptz IS NULL OR (d.created_at, d.id) < ($2::timestamptz, $3::uuid)) ORDER BY d.created_at DESC, d.id DESC LIMIT $1`,
        [limit + 1, after?.key ?? null, after?.id ?? null, endpointId],
      )) as DeliveryRow[];
    });
    return page(rows, limit, toDeliveryDto);
  }

  /** Sends a `ping` to the endpoint now (whatever its filter), as a delivery of its own in the log. */
  async test(endpointId: string): Promise<WebhookDeliveryDto> {
    const row = await this.tenant.transaction(async (m) => {
      const endpoint = await this.find(m, endpointId, true);
      if (!endpoint.enabled) throw endpointDisabled();
      const [created] = (await m.query(
        `INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, data, event_created_at, next_attempt_at, give_up_at)
         VALUES ($1, NULL, $2, $3, clock_timestamp(), clock_timestamp(), clock_timestamp() + $4 * interval '1 millisecond') RETURNING ${DELIVERY_COLUMNS}`,
        [endpointId, PING_EVENT, JSON.stringify({ message: 'A test event from Recording Studio Manager' }), RETRY_WINDOW_MS],
      )) as DeliveryRow[];
      await this.audit.record(m, { action: 'webhook_endpoint.tested', targetType: 'webhook_endpoint', targetId: endpointId, details: { deliveryId: created.id } });
      return created;
    });
    this.worker.kick(this.tenant.tenantId);
    return toDeliveryDto(row);
  }

  /** The same delivery again (same Webhook-Id and body, a new signature), due now, retried for another 3 days. */
  async redeliver(deliveryId: string): Promise<WebhookDeliveryDto> {
    const row = await this.tenant.transaction(async (m) => {
      const [found] = (await m.query(
        `SELECT d.id, w.enabled, d.leased_until > clock_timestamp() AS in_flight
           FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id WHERE d.id = $1 FOR UPDATE OF d, w`,
        [deliveryId],
      )) as Array<{ id: string; enabled: boolean; in_flight: boolean | null }>;
      if (!found) throw deliveryNotFound();
      if (!found.enabled) throw endpointDisabled();
      // Made due now, it would be claimed and sent again while the receiver still holds the first request.
      if (found.in_flight) throw deliveryInFlight();
      const [updated] = (await m.query(
        `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = clock_timestamp(), give_up_at = clock_timestamp() + $2 * interval '1 millisecond', updated_at = clock_timestamp()
          WHERE id = $1 RETURNING ${DELIVERY_COLUMNS}`,
        [deliveryId, RETRY_WINDOW_MS],
      )) as [DeliveryRow[], number];
      await this.audit.record(m, { action: 'webhook_delivery.redelivered', targetType: 'webhook_delivery', targetId: deliveryId, details: { endpointId: updated[0].endpoint_id } });
      return updated[0];
    });
    this.worker.kick(this.tenant.tenantId);
    return toDeliveryDto(row);
  }
}

function page<R extends { id: string; sort_key?: string }, D>(rows: R[], limit: number, toDto: (r: R) => D): PagedList<D> {
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return { items: shown.map(toDto), nextCursor: rows.length > limit && last ? encodeCursor([last.sort_key, last.id]) : null };
}

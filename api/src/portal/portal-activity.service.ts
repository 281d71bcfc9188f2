import { HttpStatus, Injectable } from '@nestjs/common';
import { decodeNewestFirstCursor, DEFAULT_PAGE_SIZE, encodeCursor } from '../common/pagination.js';
import { ProblemException } from '../common/problem.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { PortalActivityDto, PortalActivityListDto, PortalActivityQueryDto } from './dto/portal-activity.dto.js';

const clientNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No client with this id in your studio.');

interface ActivityRow {
  id: string;
  sort_key: string;
  kind: string;
  account_id: string | null;
  account_email: string | null;
  target_type: string;
  target_id: string | null;
  number: string | null;
  amount_minor: string | null;
  currency: string | null;
}

/**
 * Issue 12: what a client did through the portal, for the staff client page, derived from rows that
 * already exist (no table of its own):
 *  - the audit log's entries whose actor is one of the client's portal accounts. Every portal write
 *    records one (AuditLog.record inside the write's transaction picks the portal account as actor),
 *    so sign-ins, quote decisions, checkouts, and what later portal routes write (booking requests,
 *    review decisions, comments) all show here with nothing more to call;
 *  - the payments received online (Stripe) on the client's invoices: Stripe's webhook records them,
 *    with no portal caller, so they are not the account's audit entries.
 * Newest first, by the instant and then the id, with a keyset cursor.
 */
@Injectable()
export class PortalActivityService {
  constructor(private readonly tenant: TenantConnection) {}

  async list(clientId: string, query: PortalActivityQueryDto): Promise<PortalActivityListDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor ? decodeNewestFirstCursor(query.cursor) : undefined;
    return this.tenant.run(async (m) => {
      if (!(await m.query(`SELECT 1 FROM clients WHERE id = $1`, [clientId])).length) throw clientNotFound();
      const rows = (await m.query(
        `SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS sort_key, kind, account_id, account_email,
                target_type, target_id, number, amount_minor::text AS amount_minor, currency
           FROM (
             SELECT e.id, e.occurred_at AS at, e.action AS kind, e.actor_id AS account_id, e.actor_label AS account_email,
                    e.target_type, e.target_id, COALESCE(q.number, i.number) AS number,
                    CASE WHEN e.details->>'amountMinor' ~ '^[0-9]{1,15}$' THEN (e.details->>'amountMinor')::bigint END AS amount_minor,
                    CASE WHEN e.details ? 'amountMinor' THEN left(e.details->>'currency', 3) END AS currency
               FROM audit_log e
               LEFT JOIN quotes q ON e.target_type = 'quote' AND q.id::text = e.target_id
               LEFT JOIN invoices i ON e.target_type = 'invoice' AND i.id::text = e.target_id
              WHERE e.actor_type = 'portal-account'
                AND e.actor_id IN (SELECT id FROM client_portal_accounts WHERE client_id = $1)
             UNION ALL
             SELECT p.id, p.created_at, 'payment.received', NULL, NULL, 'invoice', p.invoice_id::text, i.number, p.amount_minor, p.currency
               FROM payments p JOIN invoices i ON i.id = p.invoice_id
              WHERE i.client_id = $1 AND p.method = 'stripe'
           ) activity
          WHERE $2::timestamptz IS NULL OR (at, id) < ($2::timestamptz, $3::uuid)
          ORDER BY at DESC, id DESC
          LIMIT $4`,
        [clientId, after?.key ?? null, after?.id ?? null, limit + 1],
      )) as ActivityRow[];
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { items: page.map(toActivity), nextCursor: rows.length > limit && last ? encodeCursor([last.sort_key, last.id]) : null };
    });
  }
}

function toActivity(r: ActivityRow): PortalActivityDto {
  return {
    id: r.id,
    at: r.sort_key.replace(/(\.\d{3})\d{3}Z$/, '$1Z'),
    kind: r.kind,
    account: r.account_id ? { id: r.account_id, email: r.account_email } : null,
    targetType: r.target_type,
    targetId: r.target_id,
    number: r.number,
    amountMinor: r.amount_minor === null ? null : Number(r.amount_minor),
    currency: r.currency?.trim() ?? null,
  };
}

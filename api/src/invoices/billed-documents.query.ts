import type { Repository, SelectQueryBuilder } from 'typeorm';
import { likePattern } from '../common/pagination.js';
import type { BilledDocumentColumns } from './billed-document-columns.js';

/**
 * The start of the invoice and quote lists (alias `alias`): each row with its client's current name as
 * `client_name`, of one client when asked, matching a search on the number, the client's name or the
 * bill-to name. Each list adds its own filters.
 */
export function billedDocumentsQuery<E extends BilledDocumentColumns>(repo: Repository<E>, alias: string, filter: { clientId?: string; q?: string }): SelectQueryBuilder<E> {
  const qb = repo.createQueryBuilder(alias).innerJoin(`${alias}.client`, 'c').addSelect('c.name', 'client_name');
  if (filter.clientId) qb.andWhere(`${alias}.client_id = :clientId`, { clientId: filter.clientId });
  const q = filter.q?.trim();
  if (q) qb.andWhere(`(${alias}.number ILIKE :p OR c.name ILIKE :p OR ${alias}.bill_to_name ILIKE :p)`, { p: likePattern(q) });
  return qb;
}

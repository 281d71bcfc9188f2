import { isUUID } from 'class-validator';
import type { Repository, SelectQueryBuilder } from 'typeorm';
import { decodeCursor, encodeCursor, invalidCursor } from '../common/pagination.js';
import type { ListProjectsQueryDto } from './dto/project-input.dto.js';
import type { Project } from './project.entity.js';

/** created_at as text to the microsecond: a JavaScript Date would cut it to the millisecond and skip rows. */
export const CREATED_KEY = `to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export interface ProjectCursor {
  key: string;
  id: string;
}

export function decodeProjectCursor(cursor: string): ProjectCursor {
  const [key, id] = decodeCursor(cursor, ['string', 'string']) as [string, string];
  if (!isUUID(id) || !INSTANT.test(key) || Number.isNaN(Date.parse(key)) || key.startsWith('0000')) throw invalidCursor();
  return { key, id };
}

export const encodeProjectCursor = (last: ProjectCursor) => encodeCursor([last.key, last.id]);

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The projects matching the filters, with their client. Archived projects only when `status` names them. */
export function matchingProjects(repo: Repository<Project>, query: ListProjectsQueryDto): SelectQueryBuilder<Project> {
  const qb = repo.createQueryBuilder('p').innerJoinAndSelect('p.client', 'c');
  if (query.clientId) qb.andWhere('p.client_id = :clientId', { clientId: query.clientId });
  if (query.status?.length) qb.andWhere('p.status IN (:...statuses)', { statuses: query.status });
  else qb.andWhere(`p.status <> 'archived'`);
  if (query.type) qb.andWhere('p.type = :type', { type: query.type });
  const text = query.q?.trim();
  if (text) qb.andWhere('p.title ILIKE :p', { p: likePattern(text) });
  return qb;
}

/** Newest first (ties by id, same direction), after the cursor's row. */
export function newestFirst(qb: SelectQueryBuilder<Project>, after: ProjectCursor | undefined, limit: number): SelectQueryBuilder<Project> {
  qb.addSelect(CREATED_KEY, 'sort_key').orderBy('p.created_at', 'DESC').addOrderBy('p.id', 'DESC').limit(limit);
  if (after) qb.andWhere('(p.created_at, p.id) < (CAST(:key AS timestamptz), :id)', { key: after.key, id: after.id });
  return qb;
}

import type { Repository, SelectQueryBuilder } from 'typeorm';
import { likePattern } from '../common/pagination.js';
import type { ListProjectsQueryDto } from './dto/project-input.dto.js';
import type { Project } from './project.entity.js';

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

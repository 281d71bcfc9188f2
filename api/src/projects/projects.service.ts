import { HttpStatus, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { AuditLog } from '../audit/audit-log.service.js';
import { bookingViews } from '../bookings/booking-view.js';
import { MAX_CALENDAR_ITEMS } from '../bookings/dto/booking.dto.js';
import { Client } from '../clients/client.entity.js';
import { RequestContext } from '../common/request-context.js';
import { decodeNewestFirstCursor, DEFAULT_PAGE_SIZE, keysetPage, newestFirst } from '../common/pagination.js';
import { onForeignKeyViolation } from '../common/pg-errors.js';
import { ProblemException, ValidationProblem } from '../common/problem.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { ProjectBookingsDto, ProjectDetailDto, ProjectDto, ProjectListDto } from './dto/project.dto.js';
import type { CreateProjectDto, ListProjectsQueryDto, UpdateProjectDto } from './dto/project-input.dto.js';
import { Project } from './project.entity.js';
import { matchingProjects } from './projects-list.query.js';
import { projectSummary } from './project-summary.js';

const SIMPLE_FIELDS = ['title', 'type', 'status', 'includedRevisionRounds', 'dueDate', 'notes'] as const;

export const projectNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No project with this id in your studio.');

export function toProjectDto(p: Project & { client: Client }): ProjectDto {
  return {
    id: p.id,
    clientId: p.clientId,
    client: { id: p.client.id, name: p.client.name },
    title: p.title,
    type: p.type,
    status: p.status,
    includedRevisionRounds: p.includedRevisionRounds,
    budget: p.budgetMinor === null || p.budgetCurrency === null ? null : { amountMinor: p.budgetMinor, currency: p.budgetCurrency.trim() },
    dueDate: p.dueDate,
    notes: p.notes,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

const withClient = (m: EntityManager, id: string) => m.getRepository(Project).findOne({ where: { id }, relations: { client: true } }) as Promise<(Project & { client: Client }) | null>;

/** The studio's projects (issue 10): a client's album, EP, podcast… with its bookings, tracks, files and deliverables. */
@Injectable()
export class ProjectsService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
    private readonly context: RequestContext,
  ) {}

  async create(dto: CreateProjectDto): Promise<ProjectDto> {
    const created = await this.tenant.transaction(async (m) => {
      // KEY SHARE: the client cannot be deleted between this check and the insert.
      const client = await m.getRepository(Client).findOne({ where: { id: dto.clientId }, lock: { mode: 'pessimistic_read' } });
      if (!client) throw new ValidationProblem([{ field: 'clientId', messages: ['no client with this id in your studio'] }]);
      const repo = m.getRepository(Project);
      const { identifiers } = await repo.insert({
        clientId: client.id,
        title: dto.title,
        type: dto.type,
        status: dto.status ?? 'planned',
        includedRevisionRounds: dto.includedRevisionRounds ?? 2,
        budgetMinor: dto.budget ? dto.budget.amountMinor : null,
        budgetCurrency: dto.budget ? dto.budget.currency : null,
        dueDate: dto.dueDate ?? null,
        notes: dto.notes ?? null,
        createdBy: this.context.principal()?.userId ?? null,
      });
      const id = identifiers[0].id as string;
      await this.audit.record(m, { action: 'project.created', targetType: 'project', targetId: id, details: { title: dto.title, clientId: client.id } });
      return (await withClient(m, id))!;
    });
    return toProjectDto(created);
  }

  /** One page, newest first, and how many projects match the filters in all (the total ignores the cursor). */
  async list(query: ListProjectsQueryDto): Promise<ProjectListDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor ? decodeNewestFirstCursor(query.cursor) : undefined;
    const { items, nextCursor, total } = await this.tenant.withRepository(Project, async (repo) => {
      const page = await keysetPage(newestFirst(matchingProjects(repo, query), 'p', after, limit + 1), limit);
      return { ...page, total: await matchingProjects(repo, query).getCount() };
    });
    return { items: (items as Array<Project & { client: Client }>).map(toProjectDto), nextCursor, total };
  }

  async get(id: string): Promise<ProjectDetailDto> {
    return this.tenant.run(async (m) => {
      const project = await withClient(m, id);
      if (!project) throw projectNotFound();
      return { ...toProjectDto(project), summary: await projectSummary(m, id) };
    });
  }

  async bookings(id: string): Promise<ProjectBookingsDto> {
    return this.tenant.run(async (m) => {
      if (!(await m.getRepository(Project).existsBy({ id }))) throw projectNotFound();
      return { items: await bookingViews(m, 'b.project_id = $1', [id], 'b.starts_at, b.id', MAX_CALENDAR_ITEMS) };
    });
  }

  /**
   * Read-modify-write under the row lock (issue 15): concurrent patches of different fields all stick,
   * and updated_at is stamped after the lock, in commit order (see ClientsService.update).
   */
  async update(id: string, dto: UpdateProjectDto): Promise<ProjectDto> {
    const updated = await this.tenant.transaction(async (m) => {
      const repo = m.getRepository(Project);
      // FOR NO KEY UPDATE: concurrent edits queue here, while rows that merely reference the project don't wait.
      const project = await repo.findOne({ where: { id }, lock: { mode: 'for_no_key_update' } });
      if (!project) throw projectNotFound();
      const changes: QueryDeepPartialEntity<Project> = {};
      for (const key of SIMPLE_FIELDS) if (dto[key] !== undefined) (changes as Record<string, unknown>)[key] = dto[key];
      if (dto.budget !== undefined) Object.assign(changes, { budgetMinor: dto.budget?.amountMinor ?? null, budgetCurrency: dto.budget?.currency ?? null });
      await repo
        .createQueryBuilder()
        .update()
        .set({ ...changes, updatedAt: () => 'GREATEST(clock_timestamp(), "updated_at")' })
        .where('id = :id', { id })
        .execute();
      const fields = Object.keys(dto).filter((k) => (dto as Record<string, unknown>)[k] !== undefined).sort();
      await this.audit.record(m, { action: 'project.updated', targetType: 'project', targetId: id, details: { fields } });
      return (await withClient(m, id))!;
    });
    return toProjectDto(updated);
  }

  async remove(id: string): Promise<void> {
    await this.tenant
      .transaction(async (m) => {
        const result = await m.getRepository(Project).delete({ id });
        if (!result.affected) throw projectNotFound();
        await this.audit.record(m, { action: 'project.deleted', targetType: 'project', targetId: id });
      })
      // Bookings and files keep their project (foreign keys ON DELETE RESTRICT): history is not erased.
      .catch(onForeignKeyViolation(() => new ProblemException(HttpStatus.CONFLICT, 'project-in-use', 'Bookings or files refer to this project: archive it instead.')));
  }
}

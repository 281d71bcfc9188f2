import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type { Caller } from '../auth/auth.types.js';
import { AuditLog } from '../audit/audit-log.service.js';
import { onForeignKeyViolation } from '../common/pg-errors.js';
import { Project } from '../projects/project.entity.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { DeliverableVersion } from './deliverable-version.entity.js';
import { DeliverableViews, readDeliverables } from './deliverable-views.js';
import { Deliverable } from './deliverable.entity.js';
import { deliverableHasVersions, deliverableNotFound, projectNotFound, trackNotInProject } from './deliverables.errors.js';
import { limitReached, MAX_DELIVERABLES_PER_PROJECT } from './review-limits.js';
import type { CreateDeliverableDto, UpdateDeliverableDto } from './dto/deliverable-input.dto.js';
import type { DeliverableDetailDto, DeliverableDto, DeliverableListDto } from './dto/deliverable.dto.js';

/** A track of `projectId`, or a 400 naming trackId (a track of another project, or none). */
async function checkTrack(m: EntityManager, projectId: string, trackId: string): Promise<void> {
  const [track] = (await m.query(`SELECT 1 FROM tracks WHERE id = $1 AND project_id = $2`, [trackId, projectId])) as unknown[];
  if (!track) throw trackNotInProject();
}

/** The deliverables of a project: what the studio delivers for review, in versions (versions.service.ts). */
@Injectable()
export class DeliverablesService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
    private readonly views: DeliverableViews,
  ) {}

  async list(projectId: string): Promise<DeliverableListDto> {
    const records = await this.tenant.run(async (m) => {
      if (!(await m.getRepository(Project).existsBy({ id: projectId }))) throw projectNotFound();
      const deliverables = await m.getRepository(Deliverable).find({ where: { projectId }, order: { createdAt: 'ASC', id: 'ASC' } });
      return readDeliverables(m, deliverables);
    });
    return { items: await this.views.deliverables(records) };
  }

  async create(caller: Caller, projectId: string, dto: CreateDeliverableDto): Promise<DeliverableDto> {
    const record = await this.tenant
      .transaction(async (m) => {
        // Locked so concurrent creates count one after the other (the limit holds) and the project stays.
        const [project] = (await m.query(`SELECT id FROM projects WHERE id = $1 FOR NO KEY UPDATE`, [projectId])) as unknown[];
        if (!project) throw projectNotFound();
        if ((await m.getRepository(Deliverable).countBy({ projectId })) >= MAX_DELIVERABLES_PER_PROJECT) throw limitReached('This project', MAX_DELIVERABLES_PER_PROJECT);
        if (dto.trackId) await checkTrack(m, projectId, dto.trackId);
        const repo = m.getRepository(Deliverable);
        const saved = await repo.save(repo.create({ projectId, title: dto.title, trackId: dto.trackId ?? null, createdBy: caller.userId }));
        await this.audit.record(m, { action: 'deliverable.created', targetType: 'deliverable', targetId: saved.id, details: { projectId, title: saved.title } });
        const [created] = await readDeliverables(m, [await repo.findOneByOrFail({ id: saved.id })]);
        return created;
      })
      // The track was deleted between the check and the insert.
      .catch(onForeignKeyViolation(trackNotInProject));
    return (await this.views.deliverables([record]))[0];
  }

  async get(id: string): Promise<DeliverableDetailDto> {
    const record = await this.tenant.run(async (m) => {
      const deliverable = await m.getRepository(Deliverable).findOneBy({ id });
      if (!deliverable) throw deliverableNotFound();
      return (await readDeliverables(m, [deliverable]))[0];
    });
    return this.views.detail(record);
  }

  /** Read-modify-write under the row lock (issue 15): concurrent edits of different fields all stick. */
  async update(id: string, dto: UpdateDeliverableDto): Promise<DeliverableDto> {
    const record = await this.tenant.transaction(async (m) => {
      const repo = m.getRepository(Deliverable);
      const deliverable = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!deliverable) throw deliverableNotFound();
      const changes: QueryDeepPartialEntity<Deliverable> = {};
      if (dto.title !== undefined) changes.title = dto.title;
      if (dto.trackId !== undefined) {
        if (dto.trackId !== null) await checkTrack(m, deliverable.projectId, dto.trackId);
        changes.trackId = dto.trackId;
      }
      // updated_at in commit order: never earlier than a write this one waited for (see ClientsService.update).
      await repo.createQueryBuilder().update().set({ ...changes, updatedAt: () => 'GREATEST(clock_timestamp(), "updated_at")' }).where('id = :id', { id }).execute();
      await this.audit.record(m, { action: 'deliverable.updated', targetType: 'deliverable', targetId: id, details: { fields: Object.keys(changes).sort() } });
      return (await readDeliverables(m, [await repo.findOneByOrFail({ id })]))[0];
    });
    return (await this.views.deliverables([record]))[0];
  }

  /**
   * Only a deliverable without versions: the versions' review history is kept. The row lock orders the
   * delete against a version being uploaded (which locks it too), so none slips in and is cascaded away.
   */
  async remove(id: string): Promise<void> {
    await this.tenant.transaction(async (m) => {
      const deliverable = await m.getRepository(Deliverable).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!deliverable) throw deliverableNotFound();
      if (await m.getRepository(DeliverableVersion).existsBy({ deliverableId: id })) throw deliverableHasVersions();
      await m.getRepository(Deliverable).delete({ id });
      await this.audit.record(m, { action: 'deliverable.deleted', targetType: 'deliverable', targetId: id, details: { projectId: deliverable.projectId, title: deliverable.title } });
    });
  }
}

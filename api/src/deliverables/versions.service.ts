import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import type { Caller } from '../auth/auth.types.js';
import { onForeignKeyViolation } from '../common/pg-errors.js';
import { recordEvent } from '../outbox/record-event.js';
import { Project } from '../projects/project.entity.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { DeliverableVersion } from './deliverable-version.entity.js';
import { DeliverableViews, readVersions, type VersionRecord } from './deliverable-views.js';
import { Deliverable } from './deliverable.entity.js';
import { deliverableApproved, deliverableNotFound, fileNotInProject, notLatestVersion, versionDecided, versionNotFound } from './deliverables.errors.js';
import { limitReached, MAX_VERSIONS_PER_DELIVERABLE } from './review-limits.js';
import type { CreateVersionDto } from './dto/deliverable-input.dto.js';
import type { VersionDto } from './dto/version.dto.js';
import { checkReviewerReaches, type Reviewer, reviewerPortalAccountId, reviewerUserId } from './reviewer.js';

export type Decision = 'approve' | 'request-changes';

/** The deliverable, locked: every version upload and decision of one deliverable runs one at a time. */
async function lockDeliverable(m: EntityManager, id: string): Promise<Deliverable> {
  const deliverable = await m.getRepository(Deliverable).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!deliverable) throw deliverableNotFound();
  return deliverable;
}

async function readVersion(m: EntityManager, id: string): Promise<VersionRecord> {
  const [record] = await readVersions(m, { versionIds: [id] });
  if (!record) throw versionNotFound();
  return record;
}

const touch = (m: EntityManager, id: string, set: Record<string, unknown> = {}) =>
  m.getRepository(Deliverable).createQueryBuilder().update().set({ ...set, updatedAt: () => 'GREATEST(clock_timestamp(), "updated_at")' }).where('id = :id', { id }).execute();

/**
 * Versions of a deliverable and the review decisions on them. Numbers (v1, v2…) and revision rounds are
 * taken under the deliverable's row lock, so concurrent uploads get distinct numbers and concurrent
 * decisions can't both decide one version or take the same round. Each change writes its outbox event
 * in the same transaction (recordEvent): an event exists exactly when its change committed.
 */
@Injectable()
export class VersionsService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
    private readonly views: DeliverableViews,
  ) {}

  async create(caller: Caller, deliverableId: string, dto: CreateVersionDto): Promise<VersionDto> {
    const record = await this.tenant
      .transaction(async (m) => {
        const deliverable = await lockDeliverable(m, deliverableId);
        if (deliverable.status === 'approved') throw deliverableApproved();
        const [file] = (await m.query(`SELECT 1 FROM files WHERE id = $1 AND project_id = $2`, [dto.fileId, deliverable.projectId])) as unknown[];
        if (!file) throw fileNotInProject();
        const [{ next }] = (await m.query(`SELECT coalesce(max(number), 0) + 1 AS next FROM deliverable_versions WHERE deliverable_id = $1`, [deliverableId])) as Array<{
          next: number;
        }>;
        if (Number(next) > MAX_VERSIONS_PER_DELIVERABLE) throw limitReached('This deliverable', MAX_VERSIONS_PER_DELIVERABLE);
        const repo = m.getRepository(DeliverableVersion);
        const version = await repo.save(repo.create({ deliverableId, number: Number(next), fileId: dto.fileId, notes: dto.notes ?? null, createdBy: caller.userId }));
        await touch(m, deliverableId);
        await recordEvent(m, {
          type: 'version.uploaded',
          subjectType: 'deliverable_version',
          subjectId: version.id,
          payload: { projectId: deliverable.projectId, deliverableId, versionId: version.id, number: version.number, fileId: dto.fileId },
          actorId: caller.userId,
        });
        await this.audit.record(m, { action: 'version.uploaded', targetType: 'deliverable_version', targetId: version.id, details: { deliverableId, number: version.number, fileId: dto.fileId } });
        return readVersion(m, version.id);
      })
      // The file was deleted between the check and the insert.
      .catch(onForeignKeyViolation(fileNotInProject));
    return this.views.version(record);
  }

  async get(id: string): Promise<VersionDto> {
    return this.views.version(await this.tenant.run((m) => readVersion(m, id)));
  }

  /**
   * Approve (closes the deliverable) or request changes (the deliverable's next revision round; past the
   * project's included rounds it is an extra, billable round and raises `revision.extra_round`). Only the
   * latest version, only while it awaits review: both are checked after taking the lock. Staff and (issue 12)
   * the client's portal account decide through this one path; a client reaches only its own projects' versions.
   */
  async decide(reviewer: Reviewer, versionId: string, decision: Decision, note: string | null | undefined): Promise<VersionDto> {
    const record = await this.tenant.transaction(async (m) => {
      const found = await m.getRepository(DeliverableVersion).findOneBy({ id: versionId });
      if (!found) throw versionNotFound();
      await checkReviewerReaches(m, reviewer, versionId);
      const deliverable = await lockDeliverable(m, found.deliverableId);
      const version = await m.getRepository(DeliverableVersion).findOneByOrFail({ id: versionId }); // as it is now, under the lock
      if (version.status !== 'awaiting_review') throw versionDecided();
      const [{ latest }] = (await m.query(`SELECT max(number) AS latest FROM deliverable_versions WHERE deliverable_id = $1`, [deliverable.id])) as Array<{ latest: number }>;
      if (version.number !== Number(latest)) throw notLatestVersion();
      const { includedRevisionRounds: includedRounds } = await m.getRepository(Project).findOneByOrFail({ id: deliverable.projectId });
      const actorId = reviewerUserId(reviewer);
      const decidedByPortalAccountId = reviewerPortalAccountId(reviewer);
      const decided = { decidedAt: () => 'clock_timestamp()', decidedByUserId: actorId, decidedByPortalAccountId, decisionNote: note ?? null };
      // A client's decision names its portal account in the payload (the outbox's actor_id is a member's id).
      const by = decidedByPortalAccountId ? { decidedByPortalAccountId } : {};
      const context = { projectId: deliverable.projectId, deliverableId: deliverable.id, versionId, number: version.number, ...by };
      if (decision === 'approve') {
        await m.getRepository(DeliverableVersion).update({ id: versionId }, { status: 'approved', ...decided });
        await touch(m, deliverable.id, { status: 'approved', approvedAt: () => 'clock_timestamp()' });
        await recordEvent(m, { type: 'version.approved', subjectType: 'deliverable_version', subjectId: versionId, payload: { ...context, note: note ?? null }, actorId });
        await this.audit.record(m, { action: 'version.approved', targetType: 'deliverable_version', targetId: versionId, details: { ...context, note: note ?? null } });
      } else {
        // Rounds are counted per deliverable against the project's included number (docs/reviews.md).
        const round = deliverable.roundsUsed + 1;
        const extraRound = round > includedRounds;
        await m.getRepository(DeliverableVersion).update({ id: versionId }, { status: 'changes_requested', revisionRound: round, extraRound, ...decided });
        await touch(m, deliverable.id, { roundsUsed: round });
        const payload = { ...context, round, extraRound, includedRounds, note: note ?? null };
        await recordEvent(m, { type: 'version.changes_requested', subjectType: 'deliverable_version', subjectId: versionId, payload, actorId });
        if (extraRound) {
          await recordEvent(m, {
            type: 'revision.extra_round',
            subjectType: 'deliverable',
            subjectId: deliverable.id,
            payload: { projectId: deliverable.projectId, deliverableId: deliverable.id, versionId, round, includedRounds, ...by },
            actorId,
          });
        }
        await this.audit.record(m, { action: 'version.changes_requested', targetType: 'deliverable_version', targetId: versionId, details: payload });
      }
      return readVersion(m, versionId);
    });
    return this.views.version(record);
  }
}

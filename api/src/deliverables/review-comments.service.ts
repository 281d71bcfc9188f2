import { Injectable } from '@nestjs/common';
import type { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { AuditLog } from '../audit/audit-log.service.js';
import { roleAtLeast } from '../auth/access.decorator.js';
import type { Caller } from '../auth/auth.types.js';
import { onForeignKeyViolation } from '../common/pg-errors.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { DeliverableVersion } from './deliverable-version.entity.js';
import { cannotDeleteComment, commentNotFound, notCommentAuthor, rangeEndBeforeStart, replyToReply, resolveReply, versionNotFound } from './deliverables.errors.js';
import type { CreateReplyDto, CreateReviewCommentDto, UpdateReviewCommentDto } from './dto/deliverable-input.dto.js';
import type { ReviewCommentDto, ReviewCommentListDto } from './dto/review-comment.dto.js';
import { ReviewComment } from './review-comment.entity.js';
import { ReviewPeople } from './review-people.js';
import { limitReached, MAX_COMMENTS_PER_VERSION } from './review-limits.js';
import { checkReviewerReaches, clientReviewerName, type Reviewer, reviewerPortalAccountId, reviewerUserId } from './reviewer.js';

function toCommentDto(c: ReviewComment, replies: ReviewComment[] = []): ReviewCommentDto {
  return {
    id: c.id,
    versionId: c.versionId,
    parentId: c.parentId,
    atSeconds: c.atSeconds,
    endSeconds: c.endSeconds,
    body: c.body,
    resolved: c.resolved,
    resolvedAt: c.resolvedAt ? c.resolvedAt.toISOString() : null,
    // The name as written (authorName): the thread reads the same after an account is renamed or removed.
    author: c.authorUserId ? { kind: 'staff', id: c.authorUserId, name: c.authorName } : { kind: 'client', id: c.authorPortalAccountId!, name: c.authorName },
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    replies: replies.map((r) => toCommentDto(r)),
  };
}

/**
 * The version, locked against other comments being added (so the count limit holds); a missing one is a 404.
 * NO KEY UPDATE: decisions (which update the row) wait a moment, reads and foreign key checks don't.
 */
async function lockVersionForComment(m: EntityManager, versionId: string): Promise<void> {
  const [version] = (await m.query(`SELECT id FROM deliverable_versions WHERE id = $1 FOR NO KEY UPDATE`, [versionId])) as unknown[];
  if (!version) throw versionNotFound();
  if ((await m.getRepository(ReviewComment).countBy({ versionId })) >= MAX_COMMENTS_PER_VERSION) throw limitReached('This version', MAX_COMMENTS_PER_VERSION);
}

const byTime = (a: ReviewComment, b: ReviewComment) =>
  (a.atSeconds ?? 0) - (b.atSeconds ?? 0) || a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id);
const byCreation = (a: ReviewComment, b: ReviewComment) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id);

/**
 * Review comments on a version: top-level ones at a time position (optionally a range), one level of
 * replies (a reply has no position: it belongs to its thread's), threads resolved and reopened.
 */
@Injectable()
export class ReviewCommentsService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
    private readonly people: ReviewPeople,
  ) {}

  /** `reader`: a client (issue 12) reads only its own projects' versions; staff read any of the studio's. */
  async list(versionId: string, reader?: Reviewer): Promise<ReviewCommentListDto> {
    const comments = await this.tenant.run(async (m) => {
      if (!(await m.getRepository(DeliverableVersion).existsBy({ id: versionId }))) throw versionNotFound();
      if (reader) await checkReviewerReaches(m, reader, versionId);
      return m.getRepository(ReviewComment).findBy({ versionId });
    });
    const replies = comments.filter((c) => c.parentId !== null).sort(byCreation);
    return {
      items: comments
        .filter((c) => c.parentId === null)
        .sort(byTime)
        .map((c) => toCommentDto(c, replies.filter((r) => r.parentId === c.id))),
    };
  }

  /** By staff or (issue 12) the client's portal account: one path, one lock, one limit. */
  async create(author: Reviewer, versionId: string, dto: CreateReviewCommentDto): Promise<ReviewCommentDto> {
    if (dto.endSeconds != null && dto.endSeconds <= dto.atSeconds) throw rangeEndBeforeStart();
    const staffName = author.kind === 'staff' ? await this.people.callerName(author.caller) : null;
    const saved = await this.tenant
      .transaction(async (m) => {
        // Reach first: another client's version is a 404 whatever its state (never a 409 about it).
        await checkReviewerReaches(m, author, versionId);
        await lockVersionForComment(m, versionId);
        const authorName = author.kind === 'client' ? await clientReviewerName(m, author.principal) : staffName!;
        const comment = await this.insert(m.getRepository(ReviewComment), {
          versionId,
          parentId: null,
          atSeconds: dto.atSeconds,
          endSeconds: dto.endSeconds ?? null,
          body: dto.body,
          authorUserId: reviewerUserId(author),
          authorPortalAccountId: reviewerPortalAccountId(author),
          authorName,
        });
        await this.audit.record(m, { action: 'review_comment.created', targetType: 'review_comment', targetId: comment.id, details: { versionId, atSeconds: comment.atSeconds } });
        return comment;
      })
      // The version went between the check and the insert.
      .catch(onForeignKeyViolation(versionNotFound));
    return toCommentDto(saved);
  }

  async reply(caller: Caller, parentId: string, dto: CreateReplyDto): Promise<ReviewCommentDto> {
    const authorName = await this.people.callerName(caller);
    const saved = await this.tenant
      .transaction(async (m) => {
        const parent = await m.getRepository(ReviewComment).findOneBy({ id: parentId });
        if (!parent) throw commentNotFound();
        if (parent.parentId !== null) throw replyToReply();
        await lockVersionForComment(m, parent.versionId);
        const reply = await this.insert(m.getRepository(ReviewComment), {
          versionId: parent.versionId,
          parentId,
          atSeconds: null,
          endSeconds: null,
          body: dto.body,
          authorUserId: caller.userId,
          authorName,
        });
        await this.audit.record(m, { action: 'review_comment.created', targetType: 'review_comment', targetId: reply.id, details: { versionId: parent.versionId, parentId } });
        return reply;
      })
      .catch(onForeignKeyViolation(commentNotFound));
    return toCommentDto(saved);
  }

  /** Read-modify-write under the row lock (issue 15): an edit and a resolve at once both stick. */
  async update(caller: Caller, id: string, dto: UpdateReviewCommentDto): Promise<ReviewCommentDto> {
    const { comment, replies } = await this.tenant.transaction(async (m) => {
      const repo = m.getRepository(ReviewComment);
      const current = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw commentNotFound();
      if (dto.body !== undefined && current.authorUserId !== caller.userId) throw notCommentAuthor();
      if (dto.resolved !== undefined && current.parentId !== null) throw resolveReply();
      const changes: QueryDeepPartialEntity<ReviewComment> = {};
      if (dto.body !== undefined) changes.body = dto.body;
      if (dto.resolved !== undefined && dto.resolved !== current.resolved) {
        changes.resolved = dto.resolved;
        changes.resolvedAt = dto.resolved ? () => 'clock_timestamp()' : null;
      }
      await repo.createQueryBuilder().update().set({ ...changes, updatedAt: () => 'GREATEST(clock_timestamp(), "updated_at")' }).where('id = :id', { id }).execute();
      await this.audit.record(m, { action: 'review_comment.updated', targetType: 'review_comment', targetId: id, details: { fields: Object.keys(changes).filter((f) => f !== 'resolvedAt').sort() } });
      return { comment: await repo.findOneByOrFail({ id }), replies: await repo.find({ where: { parentId: id } }) };
    });
    return toCommentDto(comment, replies.sort(byCreation));
  }

  /** The author, or an admin (moderation); a thread's replies go with it. */
  async remove(caller: Caller, id: string): Promise<void> {
    await this.tenant.transaction(async (m) => {
      const comment = await m.getRepository(ReviewComment).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!comment) throw commentNotFound();
      if (comment.authorUserId !== caller.userId && !roleAtLeast(caller.role, 'admin')) throw cannotDeleteComment();
      await m.getRepository(ReviewComment).delete({ id });
      await this.audit.record(m, { action: 'review_comment.deleted', targetType: 'review_comment', targetId: id, details: { versionId: comment.versionId, parentId: comment.parentId } });
    });
  }

  private async insert(repo: Repository<ReviewComment>, values: Partial<ReviewComment>): Promise<ReviewComment> {
    const saved = await repo.save(repo.create(values));
    return repo.findOneByOrFail({ id: saved.id }); // numeric columns read back as numbers, timestamps as stored
  }
}

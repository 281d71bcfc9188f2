import { HttpStatus, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { AuditLog } from '../audit/audit-log.service.js';
import { ProblemException, ValidationProblem } from '../common/problem.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { type CreateTrackDto, MAX_TRACKS, type TrackDto, type TrackListDto, type UpdateTrackDto } from './dto/track.dto.js';
import { Project } from './project.entity.js';
import { projectNotFound } from './projects.service.js';
import { Track } from './track.entity.js';

const trackNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No track with this id in your studio.');

/** API field → entity property (the column is musical_key: `key` is an SQL keyword). */
const EDITABLE = { title: 'title', artist: 'artist', isrc: 'isrc', bpm: 'bpm', key: 'musicalKey', status: 'status' } as const;

export function toTrackDto(t: Track): TrackDto {
  return {
    id: t.id,
    projectId: t.projectId,
    title: t.title,
    position: t.position,
    artist: t.artist,
    isrc: t.isrc,
    bpm: t.bpm,
    key: t.musicalKey,
    status: t.status,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

const inOrder = (m: EntityManager, projectId: string) => m.getRepository(Track).find({ where: { projectId }, order: { position: 'ASC' } });

/**
 * A project's tracks. Every write that changes positions (append, delete, reorder) first locks the
 * project's row: they queue one behind the other, so two appends never take the same position and a
 * reorder never works from a list another write is changing. Positions stay 1..n with no gap; the
 * unique (project_id, position) constraint is deferred to commit, so a renumbering may pass through
 * duplicates inside its transaction. Editing a track's fields locks only that track.
 */
@Injectable()
export class TracksService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
  ) {}

  private async lockProject(m: EntityManager, projectId: string): Promise<Project> {
    const project = await m.getRepository(Project).findOne({ where: { id: projectId }, lock: { mode: 'pessimistic_write' } });
    if (!project) throw projectNotFound();
    return project;
  }

  async list(projectId: string): Promise<TrackListDto> {
    return this.tenant.run(async (m) => {
      if (!(await m.getRepository(Project).existsBy({ id: projectId }))) throw projectNotFound();
      return { items: (await inOrder(m, projectId)).map(toTrackDto) };
    });
  }

  async create(projectId: string, dto: CreateTrackDto): Promise<TrackDto> {
    const created = await this.tenant.transaction(async (m) => {
      await this.lockProject(m, projectId);
      const repo = m.getRepository(Track);
      const count = await repo.countBy({ projectId });
      if (count >= MAX_TRACKS) throw new ProblemException(HttpStatus.CONFLICT, 'too-many-tracks', `A project holds at most ${MAX_TRACKS} tracks.`);
      const { identifiers } = await repo.insert({
        projectId,
        title: dto.title,
        position: count + 1,
        artist: dto.artist ?? null,
        isrc: dto.isrc ?? null,
        bpm: dto.bpm ?? null,
        musicalKey: dto.key ?? null,
        status: dto.status ?? 'recording',
      });
      const id = identifiers[0].id as string;
      await this.audit.record(m, { action: 'track.created', targetType: 'track', targetId: id, details: { projectId, title: dto.title, position: count + 1 } });
      return repo.findOneByOrFail({ id });
    });
    return toTrackDto(created);
  }

  /** Read-modify-write under the track's row lock (issue 15); updated_at in commit order. */
  async update(id: string, dto: UpdateTrackDto): Promise<TrackDto> {
    const updated = await this.tenant.transaction(async (m) => {
      const repo = m.getRepository(Track);
      const track = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!track) throw trackNotFound();
      const changes: Record<string, unknown> = {};
      for (const [field, property] of Object.entries(EDITABLE)) {
        const value = dto[field as keyof UpdateTrackDto];
        if (value !== undefined) changes[property] = value;
      }
      await repo
        .createQueryBuilder()
        .update()
        .set({ ...(changes as QueryDeepPartialEntity<Track>), updatedAt: () => 'GREATEST(clock_timestamp(), "updated_at")' })
        .where('id = :id', { id })
        .execute();
      const fields = Object.keys(EDITABLE).filter((f) => dto[f as keyof UpdateTrackDto] !== undefined);
      await this.audit.record(m, { action: 'track.updated', targetType: 'track', targetId: id, details: { projectId: track.projectId, fields } });
      return repo.findOneByOrFail({ id });
    });
    return toTrackDto(updated);
  }

  /** Deletes the track and closes the gap: the tracks after it move up one. */
  async remove(id: string): Promise<void> {
    await this.tenant.transaction(async (m) => {
      const repo = m.getRepository(Track);
      // The project first, then the track: the lock order reorder takes too (no deadlock between them).
      const found = await repo.findOne({ where: { id }, select: { id: true, projectId: true } });
      if (!found) throw trackNotFound();
      await this.lockProject(m, found.projectId);
      const track = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!track) throw trackNotFound(); // deleted while this waited
      await repo.delete({ id });
      await repo
        .createQueryBuilder()
        .update()
        .set({ position: () => 'position - 1' })
        .where('project_id = :projectId AND position > :position', { projectId: track.projectId, position: track.position })
        .execute();
      await this.audit.record(m, { action: 'track.deleted', targetType: 'track', targetId: id, details: { projectId: track.projectId, title: track.title } });
    });
  }

  /** Puts the tracks in the order given, which must name each track of the project exactly once. */
  async reorder(projectId: string, trackIds: string[]): Promise<TrackListDto> {
    const items = await this.tenant.transaction(async (m) => {
      await this.lockProject(m, projectId);
      const current = await inOrder(m, projectId);
      const known = new Set(current.map((t) => t.id));
      const problems: string[] = [];
      const repeated = trackIds.filter((id, i) => trackIds.indexOf(id) !== i);
      if (repeated.length) problems.push(`named more than once: ${[...new Set(repeated)].join(', ')}`);
      const unknown = trackIds.filter((id) => !known.has(id));
      if (unknown.length) problems.push(`not tracks of this project: ${unknown.join(', ')}`);
      const missing = current.filter((t) => !trackIds.includes(t.id)).map((t) => t.id);
      if (missing.length) problems.push(`missing: ${missing.join(', ')}`);
      if (problems.length) throw new ValidationProblem([{ field: 'trackIds', messages: [`trackIds must list every track of the project exactly once (${problems.join('; ')})`] }]);
      const moved = trackIds.filter((id, i) => current[i].id !== id);
      if (moved.length) {
        await m.query(
          `UPDATE tracks SET position = x.position, updated_at = GREATEST(clock_timestamp(), tracks.updated_at)
             FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, position)
            WHERE tracks.id = x.id AND tracks.project_id = $2 AND tracks.position <> x.position`,
          [trackIds, projectId],
        );
      }
      await this.audit.record(m, { action: 'project.tracks_reordered', targetType: 'project', targetId: projectId, details: { trackIds } });
      return inOrder(m, projectId);
    });
    return { items: items.map(toTrackDto) };
  }
}

import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { toFileDto } from '../files/files.service.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import { Project } from '../projects/project.entity.js';
import { DeliverableVersion } from './deliverable-version.entity.js';
import type { Deliverable } from './deliverable.entity.js';
import type { DeliverableDetailDto, DeliverableDto } from './dto/deliverable.dto.js';
import type { ReviewPersonDto } from './dto/review-person.dto.js';
import type { VersionDto } from './dto/version.dto.js';
import { ReviewPeople } from './review-people.js';

/** A version as read from the studio's database: the row, its file and its thread counts. */
export interface VersionRecord {
  version: DeliverableVersion & { file: StoredFile };
  commentCount: number;
  openCommentCount: number;
  /** Issue 12: the portal account's name (else email) when a client decided it; null otherwise or when the account is gone. */
  clientDeciderName: string | null;
}

/** A deliverable as read: the row, its project's included rounds and its versions (newest first). */
export interface DeliverableRecord {
  deliverable: Deliverable;
  includedRounds: number;
  versions: VersionRecord[];
}

/** Versions of the given deliverables (or the given versions), newest first, with files and counts. */
export async function readVersions(m: EntityManager, by: { deliverableIds?: string[]; versionIds?: string[] }): Promise<VersionRecord[]> {
  const where = by.versionIds ? { id: In(by.versionIds) } : { deliverableId: In(by.deliverableIds ?? []) };
  const versions = (await m.getRepository(DeliverableVersion).find({ where, relations: { file: true }, order: { number: 'DESC' } })) as Array<
    DeliverableVersion & { file: StoredFile }
  >;
  if (!versions.length) return [];
  // Counts are of threads (top-level comments): a reply is part of its thread, and a thread is what gets resolved.
  const counts = (await m.query(
    `SELECT version_id, count(*)::int AS threads, count(*) FILTER (WHERE NOT resolved)::int AS open
       FROM review_comments WHERE version_id = ANY($1::uuid[]) AND parent_id IS NULL GROUP BY version_id`,
    [versions.map((v) => v.id)],
  )) as Array<{ version_id: string; threads: number; open: number }>;
  const byVersion = new Map(counts.map((c) => [c.version_id, c]));
  const clientIds = [...new Set(versions.map((v) => v.decidedByPortalAccountId).filter((id): id is string => id !== null))];
  const clients = clientIds.length
    ? ((await m.query(`SELECT id, coalesce(nullif(btrim(name), ''), email) AS name FROM client_portal_accounts WHERE id = ANY($1::uuid[])`, [clientIds])) as Array<{ id: string; name: string }>)
    : [];
  const clientNames = new Map(clients.map((c) => [c.id, c.name]));
  return versions.map((version) => ({
    version,
    commentCount: byVersion.get(version.id)?.threads ?? 0,
    openCommentCount: byVersion.get(version.id)?.open ?? 0,
    clientDeciderName: version.decidedByPortalAccountId ? (clientNames.get(version.decidedByPortalAccountId) ?? null) : null,
  }));
}

/** Deliverables with their project's included rounds and their versions. */
export async function readDeliverables(m: EntityManager, deliverables: Deliverable[]): Promise<DeliverableRecord[]> {
  if (!deliverables.length) return [];
  const projectIds = [...new Set(deliverables.map((d) => d.projectId))];
  const projects = await m.getRepository(Project).find({ where: { id: In(projectIds) }, select: { id: true, includedRevisionRounds: true } });
  const included = new Map(projects.map((p) => [p.id, p.includedRevisionRounds]));
  const versions = await readVersions(m, { deliverableIds: deliverables.map((d) => d.id) });
  return deliverables.map((deliverable) => ({
    deliverable,
    includedRounds: included.get(deliverable.projectId) ?? 0,
    versions: versions.filter((v) => v.version.deliverableId === deliverable.id),
  }));
}

/** Turns records into the contract's shapes, naming the staff who decided (control database) in one query. */
@Injectable()
export class DeliverableViews {
  constructor(private readonly people: ReviewPeople) {}

  async versions(records: VersionRecord[]): Promise<VersionDto[]> {
    const names = await this.people.staffNames(records.map((r) => r.version.decidedByUserId));
    return records.map((r) => toVersionDto(r, names));
  }

  async version(record: VersionRecord): Promise<VersionDto> {
    return (await this.versions([record]))[0];
  }

  async deliverables(records: DeliverableRecord[]): Promise<DeliverableDto[]> {
    const names = await this.people.staffNames(records.flatMap((r) => r.versions.map((v) => v.version.decidedByUserId)));
    return records.map((r) => toDeliverableDto(r, names));
  }

  /** Several deliverables with all their versions, naming the staff in one query (issue 12: a portal project page). */
  async details(records: DeliverableRecord[]): Promise<DeliverableDetailDto[]> {
    const names = await this.people.staffNames(records.flatMap((r) => r.versions.map((v) => v.version.decidedByUserId)));
    return records.map((r) => ({ ...toDeliverableDto(r, names), versions: r.versions.map((v) => toVersionDto(v, names)) }));
  }

  async detail(record: DeliverableRecord): Promise<DeliverableDetailDto> {
    const names = await this.people.staffNames(record.versions.map((v) => v.version.decidedByUserId));
    return { ...toDeliverableDto(record, names), versions: record.versions.map((v) => toVersionDto(v, names)) };
  }
}

function decider({ version: v, clientDeciderName }: VersionRecord, names: Map<string, string>): ReviewPersonDto | null {
  if (v.decidedByUserId) return { kind: 'staff', id: v.decidedByUserId, name: names.get(v.decidedByUserId) ?? null };
  // Issue 12: a client's decision, named from the studio's portal accounts.
  if (v.decidedByPortalAccountId) return { kind: 'client', id: v.decidedByPortalAccountId, name: clientDeciderName };
  return null;
}

function toVersionDto(record: VersionRecord, names: Map<string, string>): VersionDto {
  const { version: v, commentCount, openCommentCount } = record;
  return {
    id: v.id,
    deliverableId: v.deliverableId,
    number: v.number,
    status: v.status,
    notes: v.notes,
    revisionRound: v.revisionRound,
    extraRound: v.extraRound,
    file: toFileDto(v.file),
    decisionNote: v.decisionNote,
    decidedAt: v.decidedAt ? v.decidedAt.toISOString() : null,
    decidedBy: decider(record, names),
    commentCount,
    openCommentCount,
    createdAt: v.createdAt.toISOString(),
  };
}

function toDeliverableDto({ deliverable: d, includedRounds, versions }: DeliverableRecord, names: Map<string, string>): DeliverableDto {
  return {
    id: d.id,
    projectId: d.projectId,
    trackId: d.trackId,
    title: d.title,
    status: d.status,
    roundsUsed: d.roundsUsed,
    includedRounds,
    extraRounds: versions.filter((v) => v.version.extraRound).length,
    versionCount: versions.length,
    latestVersion: versions[0] ? toVersionDto(versions[0], names) : null,
    approvedAt: d.approvedAt ? d.approvedAt.toISOString() : null,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

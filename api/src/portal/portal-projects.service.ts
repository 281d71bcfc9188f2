import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PortalPrincipal } from '../auth/auth.types.js';
import { DeliverableViews, readDeliverables } from '../deliverables/deliverable-views.js';
import { Deliverable } from '../deliverables/deliverable.entity.js';
import { versionNotFound } from '../deliverables/deliverables.errors.js';
import type { DeliverableDetailDto } from '../deliverables/dto/deliverable.dto.js';
import type { VersionDto } from '../deliverables/dto/version.dto.js';
import { FileContentService, type ContentRequest, type ContentResult } from '../files/file-content.service.js';
import type { FilePeaksDto } from '../files/peaks/dto/file-peaks.dto.js';
import { FilePeaksService } from '../files/peaks/file-peaks.service.js';
import { Project } from '../projects/project.entity.js';
import { projectNotFound } from '../projects/projects.service.js';
import { Track } from '../projects/track.entity.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import {
  MAX_PORTAL_PROJECTS,
  type PortalAwaitingReviewDto,
  type PortalDeliverableDto,
  type PortalProjectDto,
  type PortalProjectListDto,
  type PortalProjectSummaryDto,
  type PortalVersionDto,
} from './dto/portal-reviews.dto.js';

/** Latest versions awaiting review per deliverable of the client's projects (`$1` the client, `$2` optionally one project). */
const AWAITING_SQL = `
  SELECT p.id AS project_id, p.title AS project_title, d.id AS deliverable_id, d.title AS deliverable_title, v.id AS version_id, v.number, v.created_at
    FROM projects p
    JOIN deliverables d ON d.project_id = p.id
    JOIN LATERAL (SELECT * FROM deliverable_versions WHERE deliverable_id = d.id ORDER BY number DESC LIMIT 1) v ON true
   WHERE p.client_id = $1 AND ($2::uuid IS NULL OR p.id = $2) AND v.status = 'awaiting_review' AND d.status = 'open'
   ORDER BY v.created_at, v.id
   LIMIT ${MAX_PORTAL_PROJECTS * 10}`;

interface AwaitingRow {
  project_id: string;
  project_title: string;
  deliverable_id: string;
  deliverable_title: string;
  version_id: string;
  number: number;
  created_at: Date;
}

/** A version as the client sees it: its file reached through the portal's routes only. */
export function toPortalVersion(v: VersionDto): PortalVersionDto {
  const { file, ...rest } = v;
  return {
    ...rest,
    file: { name: file.name, sizeBytes: file.sizeBytes, contentType: file.contentType, peaksStatus: file.peaksStatus, downloadUrl: `/api/v1/portal/versions/${v.id}/download`, peaksUrl: `/api/v1/portal/versions/${v.id}/peaks` },
  };
}

function toPortalDeliverable(d: DeliverableDetailDto): PortalDeliverableDto {
  return { id: d.id, trackId: d.trackId, title: d.title, status: d.status, roundsUsed: d.roundsUsed, includedRounds: d.includedRounds, extraRounds: d.extraRounds, approvedAt: d.approvedAt, versions: d.versions.map(toPortalVersion) };
}

function toSummary(p: Project, awaiting: AwaitingRow[]): PortalProjectSummaryDto {
  return {
    id: p.id,
    title: p.title,
    type: p.type,
    status: p.status,
    dueDate: p.dueDate,
    includedRevisionRounds: p.includedRevisionRounds,
    updatedAt: p.updatedAt.toISOString(),
    awaitingReviewCount: awaiting.filter((a) => a.project_id === p.id).length,
  };
}

const toAwaiting = (a: AwaitingRow): PortalAwaitingReviewDto => ({
  projectId: a.project_id,
  projectTitle: a.project_title,
  deliverableId: a.deliverable_id,
  deliverableTitle: a.deliverable_title,
  versionId: a.version_id,
  number: Number(a.number),
  createdAt: new Date(a.created_at).toISOString(),
});

/**
 * Issue 12, portal: the signed-in client's projects, their tracks and deliverables, and the files the
 * studio shares with the client — the deliverable versions sent for review (project files carry no
 * "shared" flag, so they stay staff-only). Every read starts from the principal's client: another
 * client's project or version is a 404 exactly like one that does not exist.
 */
@Injectable()
export class PortalProjectsService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly views: DeliverableViews,
    private readonly content: FileContentService,
    private readonly peaks: FilePeaksService,
  ) {}

  async list(principal: PortalPrincipal): Promise<PortalProjectListDto> {
    return this.tenant.run(async (m) => {
      const projects = await m.getRepository(Project).find({ where: { clientId: principal.clientId }, order: { updatedAt: 'DESC', id: 'DESC' }, take: MAX_PORTAL_PROJECTS });
      const awaiting = (await m.query(AWAITING_SQL, [principal.clientId, null])) as AwaitingRow[];
      return { items: projects.map((p) => toSummary(p, awaiting)), awaitingReview: awaiting.map(toAwaiting) };
    });
  }

  async get(principal: PortalPrincipal, projectId: string): Promise<PortalProjectDto> {
    const { project, tracks, awaiting, records } = await this.tenant.run(async (m) => {
      const found = await m.getRepository(Project).findOneBy({ id: projectId, clientId: principal.clientId });
      if (!found) throw projectNotFound();
      const deliverables = await m.getRepository(Deliverable).find({ where: { projectId }, order: { createdAt: 'ASC', id: 'ASC' } });
      return {
        project: found,
        tracks: await m.getRepository(Track).find({ where: { projectId }, order: { position: 'ASC' } }),
        awaiting: (await m.query(AWAITING_SQL, [principal.clientId, projectId])) as AwaitingRow[],
        records: await readDeliverables(m, deliverables),
      };
    });
    return {
      ...toSummary(project, awaiting),
      tracks: tracks.map((t) => ({ id: t.id, title: t.title, position: t.position, status: t.status })),
      deliverables: (await this.views.details(records)).map(toPortalDeliverable),
    };
  }

  /** The version's file (Range, ETag), when the version is one of the client's. */
  async download(principal: PortalPrincipal, versionId: string, request: ContentRequest): Promise<ContentResult> {
    return this.content.open(await this.tenant.run((m) => ownVersionFile(m, principal, versionId)), request);
  }

  async versionPeaks(principal: PortalPrincipal, versionId: string): Promise<FilePeaksDto> {
    return this.peaks.get(await this.tenant.run((m) => ownVersionFile(m, principal, versionId)));
  }
}

/** The file of one of the client's versions, else a 404 (another client's, another studio's, or none). */
async function ownVersionFile(m: EntityManager, principal: PortalPrincipal, versionId: string): Promise<string> {
  const [row] = (await m.query(
    `SELECT v.file_id FROM deliverable_versions v JOIN deliverables d ON d.id = v.deliverable_id JOIN projects p ON p.id = d.project_id
      WHERE v.id = $1 AND p.client_id = $2`,
    [versionId, principal.clientId],
  )) as Array<{ file_id: string }>;
  if (!row) throw versionNotFound();
  return row.file_id;
}

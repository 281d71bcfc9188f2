import type pg from 'pg';
import { insertDeliverable, insertVersion } from './review-fixtures.js';

/**
 * Issue 12, portal reviews: a project of a given client (the portal account's) with a deliverable and its
 * v1 awaiting review, written straight into the studio's database (review-fixtures.ts makes its own client).
 */
export async function insertClientProject(db: pg.Client, clientId: string, values: { title?: string; includedRevisionRounds?: number } = {}): Promise<string> {
  const { rows } = await db.query(`INSERT INTO projects (client_id, title, type, included_revision_rounds) VALUES ($1, $2, 'single', $3) RETURNING id`, [
    clientId,
    values.title ?? 'Client project',
    values.includedRevisionRounds ?? 2,
  ]);
  return rows[0].id as string;
}

export async function insertClientReviewChain(db: pg.Client, clientId: string, values: { title?: string; includedRevisionRounds?: number } = {}) {
  const projectId = await insertClientProject(db, clientId, values);
  const deliverableId = await insertDeliverable(db, projectId, `${values.title ?? 'Client project'} — mix`);
  const versionId = await insertVersion(db, deliverableId);
  return { projectId, deliverableId, versionId };
}

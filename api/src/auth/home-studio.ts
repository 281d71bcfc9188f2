import type { DataSource, EntityManager } from 'typeorm';

/**
 * The studio an email to this user is sent in the name of (issue 7, accounts-mail): their oldest
 * membership, the home studio login also picks. Undefined for a user without one.
 */
export async function homeStudioName(db: DataSource | EntityManager, userId: string): Promise<string | undefined> {
  const rows: Array<{ name: string }> = await db.query(
    `SELECT o.name FROM memberships m JOIN organizations o ON o.id = m.organization_id WHERE m.user_id = $1 ORDER BY m.created_at LIMIT 1`,
    [userId],
  );
  return rows[0]?.name;
}

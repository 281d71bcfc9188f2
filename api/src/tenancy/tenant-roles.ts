import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { pgErrorCode } from '../common/pg-errors.js';
import { quoteIdent, withCredentials, withDatabase } from '../database/postgres-url.js';
import { derivedPassword, quoteLiteral, scramVerifier } from '../database/secrets.js';

/** Runs one SQL statement (a DataSource's or a client's `query`). */
export type Sql = (statement: string, parameters?: unknown[]) => Promise<unknown>;

/**
 * The database roles of tenancy. Every tenant database has a LOGIN role of the same name, allowed
 * to CONNECT to that database only (PUBLIC may not); table rights come from one NOLOGIN group role
 * (`<prefix>app`) that the template grants them to. Because only CONNECT differs per tenant, a
 * tenant role can use its own database and cannot even open another one: a registry mix-up or a
 * leaked tenant password reaches one studio at most. The admin (control) role owns the databases
 * and runs the migrations; tenant pools never use it.
 *
 * Passwords are derived, never stored: HMAC-SHA256(RSM_SECRET_KEY, "tenant-role:" + organization id),
 * base64url. The server only ever receives their SCRAM verifiers.
 */
@Injectable()
export class TenantRoles {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The NOLOGIN role holding the table rights every tenant role inherits. */
  get groupRole(): string {
    return `${this.config.tenancy.databasePrefix}app`;
  }

  /**
   * A tenant's login role is named from its organization id, the same way as its database (so the
   * two names are equal). From the id, not from the registry's database name: after a registry
   * mix-up the pool still signs in as its own tenant, and the other database refuses it.
   */
  roleFor(organizationId: string): string {
    return this.config.tenancy.databasePrefix + organizationId.replace(/-/g, '');
  }

  passwordFor(organizationId: string): string {
    const key = this.config.secretKey;
    if (!key) throw new Error('No secret key: start-up must set one (RSM_SECRET_KEY or the data directory)');
    return derivedPassword(key, `tenant-role:${organizationId}`);
  }

  /** The URL a tenant pool uses: the admin URL's server, the tenant's database, the tenant's role. */
  connectionUrl(databaseName: string, organizationId: string): string {
    return withCredentials(withDatabase(this.config.databaseUrl!, databaseName), this.roleFor(organizationId), this.passwordFor(organizationId));
  }

  /** Creates the group role when missing. Run under the migration lock at start-up. */
  async ensureGroup(sql: Sql): Promise<void> {
    const [row] = (await sql(`SELECT rolcanlogin AS login, rolname = current_user AS self FROM pg_roles WHERE rolname = $1`, [this.groupRole])) as Array<{
      login: boolean;
      self: boolean;
    }>;
    // Every tenant role inherits the group's rights: a role someone can sign in as (or the one we
    // are) would be adopted as a key to every studio's tables. Refuse instead of guessing.
    if (row?.login || row?.self) {
      throw new Error(
        `The role ${this.groupRole} (TENANT_DATABASE_PREFIX + "app") exists and can log in${row.self ? ' (it is the role DATABASE_URL signs in as)' : ''}: ` +
          `it would give its rights to every tenant role. Make it NOLOGIN, or choose another TENANT_DATABASE_PREFIX`,
      );
    }
    if (row) return;
    await ignoring('42710', () => sql(`CREATE ROLE ${quoteIdent(this.groupRole)} NOLOGIN`)); // 42710: another instance made it
  }

  /**
   * Inside one database (the template, or a tenant made before roles existed), as the role that
   * owns its tables: the group may read and write the data, and read which migrations ran. Default
   * privileges extend that to tables future migrations create.
   */
  async grantSchemaAccess(sql: Sql): Promise<void> {
    const group = quoteIdent(this.groupRole);
    // One round trip and one commit: a multi-statement query without parameters runs as one implicit
    // transaction, so the rights change together (and `rsm migrate` pays one round trip per tenant, not six).
    await sql(
      [
        `GRANT USAGE ON SCHEMA public TO ${group}`,
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${group}`,
        `REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON TABLE public.migrations FROM ${group}`,
        `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${group}`,
        `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${group}`,
        `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${group}`,
      ].join(';\n'),
    );
  }

  /** Only the owner (and roles granted CONNECT) may open `databaseName`. */
  async closeToPublic(sql: Sql, databaseName: string): Promise<void> {
    await sql(`REVOKE ALL ON DATABASE ${quoteIdent(databaseName)} FROM PUBLIC`);
  }

  /**
   * Gives a tenant database its login role (created, or its password and membership refreshed when
   * it exists) and makes it the only non-owner that may connect. Idempotent.
   */
  async ensureTenantRole(sql: Sql, databaseName: string, organizationId: string): Promise<void> {
    const role = quoteIdent(this.roleFor(organizationId));
    const password = quoteLiteral(scramVerifier(this.passwordFor(organizationId)));
    const created = await ignoring('42710', () => sql(`CREATE ROLE ${role} LOGIN INHERIT PASSWORD ${password}`));
    if (!created) await sql(`ALTER ROLE ${role} LOGIN PASSWORD ${password}`);
    await sql(`GRANT ${quoteIdent(this.groupRole)} TO ${role}`);
    await this.closeToPublic(sql, databaseName);
    await sql(`GRANT CONNECT ON DATABASE ${quoteIdent(databaseName)} TO ${role}`);
    // Ending this role's connections (DROP DATABASE … WITH (FORCE) when a studio is deleted,
    // pg_terminate_backend) needs the privileges of the role that owns them: inherit them, without
    // being able to SET ROLE to it. CREATEROLE gave us ADMIN OPTION on the role we created.
    await sql(`GRANT ${role} TO CURRENT_USER WITH INHERIT TRUE, SET FALSE`);
  }

  /** Sets a tenant role's password again from the current key (after RSM_SECRET_KEY changed). Touches no rights. */
  async resetPassword(sql: Sql, organizationId: string): Promise<void> {
    const role = this.roleFor(organizationId);
    const [exists] = (await sql(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [role])) as unknown[];
    if (exists) await sql(`ALTER ROLE ${quoteIdent(role)} PASSWORD ${quoteLiteral(scramVerifier(this.passwordFor(organizationId)))}`);
  }

  /**
   * Whether the tenant role passwords were derived from another key than the current one. The
   * group role's comment holds a fingerprint of the key they were last set from (never the key).
   */
  async keyChanged(sql: Sql): Promise<boolean> {
    const [row] = (await sql(`SELECT shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE rolname = $1`, [this.groupRole])) as Array<{
      comment: string | null;
    }>;
    return row?.comment !== this.keyFingerprint();
  }

  async rememberKey(sql: Sql): Promise<void> {
    await sql(`COMMENT ON ROLE ${quoteIdent(this.groupRole)} IS ${quoteLiteral(this.keyFingerprint())}`);
  }

  private keyFingerprint(): string {
    return `rsm:key:${derivedPassword(this.config.secretKey!, 'key-fingerprint').slice(0, 16)}`;
  }

  /** Drops the role provisioned with `databaseName` (which, by construction, has the same name). */
  async dropTenantRole(sql: Sql, databaseName: string): Promise<void> {
    await sql(`DROP ROLE IF EXISTS ${quoteIdent(databaseName)}`);
  }

  /**
   * Of `databaseNames`, the existing databases whose role (of the same name), membership or CONNECT rights are not
   * (all) in place: tenants made before per-tenant roles, or left half-done. One catalog query,
   * so start-up connects only to the tenants that need work.
   */
  async missingAccess(sql: Sql, databaseNames: string[]): Promise<string[]> {
    if (!databaseNames.length) return [];
    const rows = (await sql(
      `SELECT d.datname AS name
         FROM pg_database d LEFT JOIN pg_roles r ON r.rolname = d.datname
        WHERE d.datname = ANY($1)
          AND CASE WHEN r.oid IS NULL THEN true
                   ELSE has_database_privilege('public', d.datname, 'CONNECT')
                     OR NOT has_database_privilege(r.rolname, d.datname, 'CONNECT')
                     OR NOT pg_has_role(r.rolname, $2, 'USAGE')
                     OR NOT r.rolcanlogin
                     OR NOT pg_has_role(current_user, r.oid, 'USAGE')
              END`,
      [databaseNames, this.groupRole],
    )) as Array<{ name: string }>;
    return rows.map((r) => r.name);
  }
}

/** Runs `fn`; a PostgreSQL error with `code` means "already done" (false). */
async function ignoring(code: string, fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (err) {
    if (pgErrorCode(err) === code) return false;
    throw err;
  }
}

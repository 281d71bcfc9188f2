import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { pgErrorCode } from '../common/pg-errors.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { Membership } from '../control/membership.entity.js';
import { Organization } from '../control/organization.entity.js';
import { User } from '../control/user.entity.js';
import { TenantProvisioner } from '../tenancy/tenant-provisioner.service.js';
import { TenantRegistry } from '../tenancy/tenant-registry.service.js';
import { LATEST_TENANT_SCHEMA_VERSION } from '../tenant-schema/tenant-migrations.js';
import { emailTaken, invalidCredentials } from './auth.errors.js';
import { EmailVerification } from './email-verification.service.js';
import { UnverifiedStudios } from './unverified-studios.service.js';
import type { Credentials, Principal } from './auth.types.js';
import type { AuthSessionDto, MeDto } from './dto/auth-session.dto.js';
import type { RegisterDto } from './dto/register.dto.js';
import { PasswordHasher } from './password-hasher.service.js';
import { type SessionClient, SessionsService } from './sessions.service.js';
import { slugify } from './slug.js';
import { SubscriptionService } from '../subscription/subscription.service.js';

/** A unique-index violation whose detail names `column`, e.g. `Key (email)=(…) already exists.` */
function isUniqueViolation(err: unknown, column: string): boolean {
  const detail = (err as { driverError?: { detail?: string } }).driverError?.detail ?? '';
  return pgErrorCode(err) === '23505' && detail.includes(`(${column})`);
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly provisioner: TenantProvisioner,
    private readonly registry: TenantRegistry,
    private readonly verification: EmailVerification,
    private readonly unverifiedStudios: UnverifiedStudios,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly subscriptions: SubscriptionService,
  ) {}

  /**
   * Signs up a studio: organization, owner, membership, a ready tenant database and a session —
   * all of it or none of it. The database is copied from the template first; the control rows are
   * then written in one transaction; any failure drops the database again.
   */
  async register(dto: RegisterDto, publicUrl: string, client: SessionClient = {}): Promise<{ body: AuthSessionDto; token: string }> {
    const email = normalizeEmail(dto.email);
    // Hash first, taken or not: a taken email used to answer in ~3 ms against ~100 ms for a new one.
    // Now it costs the same argon2 hash, so timing tells nothing beyond the (rate-limited) 409.
    const passwordHash = await this.passwords.hash(dto.password);
    if (await this.control.getRepository(User).existsBy({ email })) throw emailTaken();
    const organizationId = randomUUID();
    const databaseName = this.provisioner.databaseNameFor(organizationId);
    // Issue 8, ops-servers: the server with the most room takes the new studio's database.
    const server = await this.provisioner.placeTenant();

    try {
      await this.provisioner.createDatabase(databaseName, organizationId, server);
      // Sign-ups with the same slug base are serialized (see freeSlug); a different base can still
      // produce the same slug ("Echo" → echo-2 vs "Echo 2" → echo-2): the unique index decides, and
      // the loser retries, seeing the winner's committed row.
      for (let attempt = 1; ; attempt++) {
        try {
          const { verificationToken, ...created } = await this.writeStudio(dto, { organizationId, databaseName, server, email, passwordHash }, client);
          await this.verification.send(email, verificationToken, publicUrl, created.body.organization.name);
          return created;
        } catch (err) {
          if (attempt >= 5 || !isUniqueViolation(err, 'slug')) throw err;
        }
      }
    } catch (err) {
      // If COMMIT reached the server but its answer was lost, the studio exists: keep its database.
      const committed = await this.control.getRepository(Organization).existsBy({ id: organizationId }).catch(() => true);
      if (!committed) await this.provisioner.dropDatabase(databaseName, server).catch(() => undefined);
      if (isUniqueViolation(err, 'email')) throw emailTaken();
      // The problem filter logs the error itself (without its SQL parameters); this line says what was undone.
      this.logger.warn({ organizationId }, 'Sign-up failed and was rolled back');
      throw err;
    }
  }

  /** The control rows of a new studio, and the owner's first session, in one transaction. */
  private writeStudio(
    dto: RegisterDto,
    ids: { organizationId: string; databaseName: string; server: string; email: string; passwordHash: string },
    client: SessionClient,
  ): Promise<{ body: AuthSessionDto; token: string; verificationToken: string }> {
    const { organizationId, databaseName, server, email, passwordHash } = ids;
    return this.control.transaction(async (m) => {
      const organization = { id: organizationId, name: dto.studioName, slug: await this.freeSlug(m, dto.studioName) };
      // Anyone can sign up with any address: the studio is on probation until the owner proves it is theirs.
      // Issue 11: every studio starts on a trial of the platform's subscription.
      const trialEnd = new Date(Date.now() + this.config.subscription.trialDays * 86_400_000);
      await m.getRepository(Organization).insert({
        ...organization,
        unverifiedUntil: this.unverifiedStudios.deadlineFromNow(),
        subscriptionStatus: 'trialing',
        currentPeriodEnd: trialEnd,
      });
      const user = await m.getRepository(User).save({ name: dto.name, email, passwordHash, emailVerifiedAt: null });
      await m.getRepository(Membership).insert({ organizationId, userId: user.id, role: 'owner' });
      await this.registry.register(m, { organizationId, databaseName, server, schemaVersion: LATEST_TENANT_SCHEMA_VERSION });
      const token = await this.sessions.create(user.id, organizationId, m, client);
      const verificationToken = await this.verification.issue(user.id, m);
      return { token, verificationToken, body: { organization, user: { id: user.id, name: user.name, email: user.email } } };
    });
  }

  /** Checks a login; the same 401 whether the email is unknown or the password wrong. */
  async validateCredentials(rawEmail: string, password: string): Promise<Credentials> {
    const user = await this.control.getRepository(User).findOneBy({ email: normalizeEmail(rawEmail) });
    const ok = await this.passwords.verify(user?.passwordHash, password);
    if (!user || !ok) throw invalidCredentials();
    // Staff belong to one studio today; the oldest membership is their home studio.
    const membership = await this.control.getRepository(Membership).findOne({ where: { userId: user.id }, order: { createdAt: 'ASC' } });
    if (!membership) throw invalidCredentials();
    return { userId: user.id, organizationId: membership.organizationId, role: membership.role };
  }

  /**
   * Starts a new session for a validated principal (a fresh token at every login) and ends the
   * session the browser presented, if any, so a planted or stale token does not outlive the login.
   */
  async login(principal: Credentials, presentedToken?: string, client: SessionClient = {}): Promise<{ body: AuthSessionDto; token: string }> {
    if (presentedToken) await this.sessions.revokeToken(presentedToken);
    const token = await this.sessions.create(principal.userId, principal.organizationId, undefined, client);
    const { user, organization } = await this.me(principal);
    return { token, body: { user, organization } };
  }

  logout(principal: Principal): Promise<void> {
    return this.sessions.revoke(principal.sessionId);
  }

  async me(principal: Credentials): Promise<MeDto> {
    const [user, organization, subscription] = await Promise.all([
      this.control.getRepository(User).findOneByOrFail({ id: principal.userId }),
      this.control.getRepository(Organization).findOneByOrFail({ id: principal.organizationId }),
      this.subscriptions.standing(principal.organizationId),
    ]);
    const deadline = organization.unverifiedUntil;
    return {
      user: { id: user.id, name: user.name, email: user.email },
      organization: { id: organization.id, name: organization.name, slug: organization.slug },
      role: principal.role,
      verification: {
        emailVerified: user.emailVerifiedAt !== null,
        studioUnverifiedUntil: deadline ? deadline.toISOString() : null,
        studioSuspended: organization.suspendedAt !== null || (deadline !== null && deadline.getTime() <= Date.now()),
      },
      subscription,
    };
  }

  /**
   * A slug not yet taken: `blue-room`, else `blue-room-2`, `-3`, ... Concurrent sign-ups of one name
   * used to read the same "taken" set and all pick the same next slug, retry after retry (24 at once
   * gave 5 × 500). A transaction-level advisory lock on the base makes them take turns: each reads
   * after the previous one committed. It is held only until this sign-up's transaction ends.
   */
  private async freeSlug(m: EntityManager, studioName: string): Promise<string> {
    const base = slugify(studioName);
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('rsm:slug:' || $1))`, [base]);
    const taken = new Set<string>(
      (await m.query(`SELECT slug FROM organizations WHERE slug = $1 OR slug LIKE $2`, [base, `${base}-%`])).map((r: { slug: string }) => r.slug),
    );
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }
}

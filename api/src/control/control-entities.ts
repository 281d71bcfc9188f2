import { RateLimitCounter } from '../rate-limit/rate-limit-counter.entity.js';
import { ApiKey } from './api-key.entity.js';
import { Invite } from './invite.entity.js';
import { Membership } from './membership.entity.js';
import { OneTimeToken } from './one-time-token.entity.js';
import { Organization } from './organization.entity.js';
import { PlatformStripeEvent } from './platform-stripe-event.entity.js'; // issue 11
import { StripeAccount } from './stripe-account.entity.js'; // issue 11
import { Session } from './session.entity.js';
import { TenantDatabase } from './tenant-database.entity.js';
import { TenantMove } from './tenant-move.entity.js'; // issue 8, ops-servers
import { TenantServer } from './tenant-server.entity.js'; // issue 8, ops-servers
import { User } from './user.entity.js';

export const CONTROL_ENTITIES = [Organization, User, Membership, Session, TenantDatabase, OneTimeToken, RateLimitCounter, Invite, ApiKey, TenantServer, TenantMove, StripeAccount, PlatformStripeEvent];

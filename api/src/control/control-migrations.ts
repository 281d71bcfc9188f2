import { InitControl1764000000000 } from './migrations/1764000000000-InitControl.js';
import { EmailVerification1764100000000 } from './migrations/1764100000000-EmailVerification.js';
import { RateLimits1764500000000 } from './migrations/1764500000000-RateLimits.js';
import { AccountsAccess1764600000000 } from './migrations/1764600000000-AccountsAccess.js';
import { SessionClients1764650000000 } from './migrations/1764650000000-SessionClients.js';
// Issue 8, ops-cli.
import { TenantMigrationStatus1796300000000 } from './migrations/1796300000000-TenantMigrationStatus.js';
import { TenantServers1796400000000 } from './migrations/1796400000000-TenantServers.js'; // issue 8, ops-servers
import { StripeBilling1796600000000 } from './migrations/1796600000000-StripeBilling.js'; // issue 11, money
import { StripeCustomerIndex1796700000000 } from './migrations/1796700000000-StripeCustomerIndex.js'; // issue 11, money
import { StudioWakeups1797000000000 } from './migrations/1797000000000-StudioWakeups.js'; // issue 14, sweeps

/** The control database's migrations, oldest first. */
export const CONTROL_MIGRATIONS = [
  InitControl1764000000000,
  EmailVerification1764100000000,
  RateLimits1764500000000,
  AccountsAccess1764600000000,
  SessionClients1764650000000,
  TenantMigrationStatus1796300000000, // issue 8, ops-cli
  TenantServers1796400000000, // issue 8, ops-servers
  StripeBilling1796600000000, // issue 11, money
  StripeCustomerIndex1796700000000, // issue 11, money: webhooks find the studio by customer
  StudioWakeups1797000000000, // issue 14: background sweeps visit only studios with work due
];

import { AuditEntry } from '../audit/audit-entry.entity.js';
import { Client } from '../clients/client.entity.js';

/** Every entity that lives in a tenant database. */
export const TENANT_ENTITIES = [Client, AuditEntry];

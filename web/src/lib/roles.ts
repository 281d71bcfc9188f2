/** Roles in words and in order, for badges and pickers. */
import type { Role } from './api/types.ts';
import { m } from './paraglide/messages.js';

/** Highest first: a member may hand out at most their own role (the API refuses more). */
export const ROLES: readonly Role[] = ['owner', 'admin', 'engineer', 'viewer'];

export function roleLabel(role: Role): string {
	return { owner: m.role_owner, admin: m.role_admin, engineer: m.role_engineer, viewer: m.role_viewer }[role]();
}

/** The roles `mine` may give (to an invite, a member or an API key), as Select options. */
export function grantableRoles(mine: Role): { value: Role; label: string }[] {
	return ROLES.slice(ROLES.indexOf(mine)).map((role) => ({ value: role, label: roleLabel(role) }));
}

export function roleTone(role: Role): 'primary' | 'success' | 'neutral' | 'warning' {
	return role === 'owner' ? 'primary' : role === 'admin' ? 'success' : 'neutral';
}

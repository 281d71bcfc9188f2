import type { Component } from 'svelte';
import LayoutDashboard from '@lucide/svelte/icons/layout-dashboard';
import Users from '@lucide/svelte/icons/users';
import CalendarDays from '@lucide/svelte/icons/calendar-days';
import Settings from '@lucide/svelte/icons/settings';
import DoorOpen from '@lucide/svelte/icons/door-open';
import Mic from '@lucide/svelte/icons/mic';
import Headphones from '@lucide/svelte/icons/headphones';
import FolderKanban from '@lucide/svelte/icons/folder-kanban';
import FileText from '@lucide/svelte/icons/file-text';
import FilePen from '@lucide/svelte/icons/file-pen';
import Inbox from '@lucide/svelte/icons/inbox'; // issue 12, bookreq
import MonitorPlay from '@lucide/svelte/icons/monitor-play';
import type { Capability } from '#lib/access.ts';
import { m } from '#lib/paraglide/messages.js';

export interface NavItem {
	href: string;
	label: () => string;
	icon: Component<{ size?: number; 'aria-hidden'?: boolean | 'true' }>;
	/** Whether `path` belongs to this entry (for aria-current). */
	matches: (path: string) => boolean;
	/** Shown only to roles that may do this (money is admin work). */
	needs?: Capability;
}
export interface NavSection {
	label: () => string;
	items: NavItem[];
}

/** The sidebar's sections. Later features add their entries here (calendar, rooms, invoices…). */
export const NAV: NavSection[] = [
	{
		label: () => m.nav_section_studio(),
		items: [
			{ href: '/', label: () => m.nav_dashboard(), icon: LayoutDashboard, matches: (p) => p === '/' },
			// Scheduling (issue 9): the week calendar of bookings.
			{ href: '/calendar', label: () => m.nav_calendar(), icon: CalendarDays, matches: (p) => p === '/calendar' },
			// Issue 12, bookreq: session requests from the client portal.
			{ href: '/booking-requests', label: () => m.nav_booking_requests(), icon: Inbox, matches: (p) => p === '/booking-requests', needs: 'bookingRequests.read' },
			{ href: '/clients', label: () => m.nav_clients(), icon: Users, matches: (p) => p === '/clients' || p.startsWith('/clients/') },
			// Projects (issue 10).
			{ href: '/projects', label: () => m.nav_projects(), icon: FolderKanban, matches: (p) => p === '/projects' || p.startsWith('/projects/') },
			// Money (issue 11): admins and owners.
			{ href: '/invoices', label: () => m.nav_invoices(), icon: FileText, matches: (p) => p === '/invoices' || p.startsWith('/invoices/'), needs: 'money.manage' },
			{ href: '/quotes', label: () => m.nav_quotes(), icon: FilePen, matches: (p) => p === '/quotes' || p.startsWith('/quotes/'), needs: 'money.manage' },
			// Scheduling resources (issue 9).
			{ href: '/rooms', label: () => m.nav_rooms(), icon: DoorOpen, matches: (p) => p === '/rooms' },
			// Issue 13, board: the live room board.
			{ href: '/rooms/board', label: () => m.nav_room_board(), icon: MonitorPlay, matches: (p) => p === '/rooms/board' },
			{ href: '/equipment', label: () => m.nav_equipment(), icon: Mic, matches: (p) => p === '/equipment' },
			{ href: '/engineers', label: () => m.nav_engineers(), icon: Headphones, matches: (p) => p === '/engineers' }
		]
	},
	// Accounts and access (issue 7): profile, sessions, members, API keys, audit log.
	{
		label: () => m.nav_section_account(),
		items: [{ href: '/settings/profile', label: () => m.nav_settings(), icon: Settings, matches: (p) => p === '/settings' || p.startsWith('/settings/') }]
	}
];

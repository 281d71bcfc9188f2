import type { EquipmentStatus } from '#lib/api/types.ts';
import { m } from '#lib/paraglide/messages.js';

export const EQUIPMENT_STATUSES: readonly EquipmentStatus[] = ['available', 'maintenance', 'retired'];

export function equipmentStatusLabel(status: EquipmentStatus): string {
	return { available: m.equipment_status_available, maintenance: m.equipment_status_maintenance, retired: m.equipment_status_retired }[status]();
}

export function equipmentStatusTone(status: EquipmentStatus): 'success' | 'warning' | 'neutral' {
	return status === 'available' ? 'success' : status === 'maintenance' ? 'warning' : 'neutral';
}

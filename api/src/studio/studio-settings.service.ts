import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { byWeekday } from './dto/daily-hours.dto.js';
import type { StudioSettingsDto, UpdateStudioSettingsDto } from './dto/studio-settings.dto.js';
import { StudioSettings } from './studio-settings.entity.js';

const EDITABLE = ['timeZone', 'defaultCurrency', 'openingHours', 'defaultSetupMinutes', 'defaultTeardownMinutes', 'reminderOffsetsMinutes'] as const;

export function toStudioSettingsDto(s: StudioSettings): StudioSettingsDto {
  return {
    timeZone: s.timeZone,
    defaultCurrency: s.defaultCurrency,
    openingHours: byWeekday(s.openingHours),
    defaultSetupMinutes: s.defaultSetupMinutes,
    defaultTeardownMinutes: s.defaultTeardownMinutes,
    reminderOffsetsMinutes: s.reminderOffsetsMinutes, // issue 13, mailnotify
    updatedAt: s.updatedAt.toISOString(),
  };
}

/**
 * The studio's settings (the one row of studio_settings, created by its migration). Exported for the
 * features that need them (bookings read the time zone, opening hours and default buffers): call
 * `get()` in a request, or `get(manager)` inside your own tenant transaction to read them consistently.
 */
@Injectable()
export class StudioSettingsService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
  ) {}

  async get(manager?: EntityManager): Promise<StudioSettingsDto> {
    const read = (m: EntityManager) => m.getRepository(StudioSettings).findOneByOrFail({ id: 1 });
    return toStudioSettingsDto(await (manager ? read(manager) : this.tenant.run(read)));
  }

  /** Locks the row so two concurrent patches each keep the other's fields. */
  async update(dto: UpdateStudioSettingsDto): Promise<StudioSettingsDto> {
    const saved = await this.tenant.transaction(async (m) => {
      const repo = m.getRepository(StudioSettings);
      const settings = await repo.findOneOrFail({ where: { id: 1 }, lock: { mode: 'pessimistic_write' } });
      const fields = EDITABLE.filter((key) => dto[key] !== undefined);
      for (const key of fields) (settings as unknown as Record<string, unknown>)[key] = key === 'openingHours' ? byWeekday(dto.openingHours!) : key === 'reminderOffsetsMinutes' ? [...dto.reminderOffsetsMinutes!].sort((a, b) => b - a) : dto[key];
      await repo.save(settings);
      await this.audit.record(m, { action: 'studio.updated', targetType: 'studio', targetId: null, details: { fields: [...fields].sort() } });
      return repo.findOneByOrFail({ id: 1 });
    });
    return toStudioSettingsDto(saved);
  }
}

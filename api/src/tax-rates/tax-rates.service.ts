import { HttpStatus, Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { ProblemException, ValidationProblem } from '../common/problem.js';
import { normalizeRate } from '../money/money.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { TaxRateDto, TaxRateListDto } from './dto/tax-rate.dto.js';
import type { CreateTaxRateDto, UpdateTaxRateDto } from './dto/tax-rate-input.dto.js';
import { TaxRate } from './tax-rate.entity.js';

export const taxRateNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No tax rate with this id in your studio.');

export function toTaxRateDto(r: TaxRate): TaxRateDto {
  return {
    id: r.id,
    name: r.name,
    ratePercent: r.ratePercent,
    inclusive: r.inclusive,
    isDefault: r.isDefault,
    archivedAt: r.archivedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/**
 * Making a rate the default clears the previous default in the same transaction. Two such switches at
 * once would each clear the old default and insert their own, and the second would hit the unique
 * index on the live default: a transaction-scoped advisory lock (per tenant database) queues them,
 * taken before any row lock so every default switch locks in the same order.
 */
const DEFAULT_SWITCH_LOCK = 'tax_rates.default';
async function lockDefaultSwitch(m: EntityManager): Promise<void> {
  await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [DEFAULT_SWITCH_LOCK]);
}
async function clearDefault(m: EntityManager, except?: string): Promise<void> {
  await m.query(`UPDATE "tax_rates" SET "is_default" = false, "updated_at" = clock_timestamp() WHERE "is_default" AND ($1::uuid IS NULL OR "id" <> $1)`, [except ?? null]);
}

/** Issue 11: the studio's tax rates (lines copy them when saved, so edits never change issued documents). */
@Injectable()
export class TaxRatesService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
  ) {}

  async list(includeArchived: boolean): Promise<TaxRateListDto> {
    const rates = await this.tenant.withRepository(TaxRate, (repo) => {
      const qb = repo.createQueryBuilder('r').orderBy('lower(r.name)', 'ASC').addOrderBy('r.id', 'ASC');
      if (!includeArchived) qb.where('r.archived_at IS NULL');
      return qb.getMany();
    });
    return { items: rates.map(toTaxRateDto) };
  }

  async create(dto: CreateTaxRateDto): Promise<TaxRateDto> {
    const saved = await this.tenant.transaction(async (m) => {
      if (dto.isDefault) {
        await lockDefaultSwitch(m);
        await clearDefault(m);
      }
      const repo = m.getRepository(TaxRate);
      const { identifiers } = await repo.insert({
        name: dto.name,
        ratePercent: normalizeRate(dto.ratePercent),
        inclusive: dto.inclusive ?? false,
        isDefault: dto.isDefault ?? false,
      });
      const id = identifiers[0].id as string;
      await this.audit.record(m, { action: 'tax_rate.created', targetType: 'tax_rate', targetId: id, details: { name: dto.name, ratePercent: dto.ratePercent } });
      return repo.findOneByOrFail({ id });
    });
    return toTaxRateDto(saved);
  }

  /** Locks the row, so concurrent patches of different fields each keep the other's. */
  async update(id: string, dto: UpdateTaxRateDto): Promise<TaxRateDto> {
    const saved = await this.tenant.transaction(async (m) => {
      if (dto.isDefault === true) await lockDefaultSwitch(m);
      const repo = m.getRepository(TaxRate);
      const rate = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!rate) throw taxRateNotFound();
      const archived = dto.archived ?? rate.archivedAt !== null;
      if (dto.isDefault === true && archived) {
        throw new ValidationProblem([{ field: 'isDefault', messages: ['an archived tax rate cannot be the default'] }]);
      }
      if (dto.name !== undefined) rate.name = dto.name;
      if (dto.ratePercent !== undefined) rate.ratePercent = normalizeRate(dto.ratePercent);
      if (dto.inclusive !== undefined) rate.inclusive = dto.inclusive;
      if (dto.archived !== undefined) rate.archivedAt = dto.archived ? (rate.archivedAt ?? new Date()) : null;
      if (archived) rate.isDefault = false; // a rate that is offered no more is nobody's default
      if (dto.isDefault !== undefined && !archived) {
        if (dto.isDefault) await clearDefault(m, id);
        rate.isDefault = dto.isDefault;
      }
      await repo.save(rate);
      const fields = Object.keys(dto).filter((k) => dto[k as keyof UpdateTaxRateDto] !== undefined).sort();
      await this.audit.record(m, { action: 'tax_rate.updated', targetType: 'tax_rate', targetId: id, details: { fields } });
      return repo.findOneByOrFail({ id });
    });
    return toTaxRateDto(saved);
  }

  /** The live default rate, if any (for the invoices' lines that name no rate). */
  async defaultRate(manager: EntityManager): Promise<TaxRate | null> {
    return manager.getRepository(TaxRate).findOneBy({ isDefault: true, archivedAt: IsNull() });
  }
}

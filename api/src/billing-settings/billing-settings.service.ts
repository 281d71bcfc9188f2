import { HttpStatus, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { type FieldErrorDto, ProblemException, ValidationProblem } from '../common/problem.js';
import type { UploadSource } from '../files/files.service.js';
import { UploadInspector, UploadTooLargeError } from '../files/upload-inspector.js';
import { StudioSettings } from '../studio/studio-settings.entity.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { BillingSettings } from './billing-settings.entity.js';
import type { SequenceKind } from './document-sequence.entity.js';
import type { BillingSettingsDto, NextNumbersDto, UpdateBillingSettingsDto } from './dto/billing-settings.dto.js';
import { numberFormatProblem, renderNumber } from './numbering.js';

/** The logo column's own CHECK (billing_settings.entity.ts): 512 KB. */
export const MAX_LOGO_BYTES = 512 * 1024;
const LOGO_TYPES = new Set(['image/png', 'image/jpeg']);

const FORMAT_FIELDS = { invoice: 'invoiceNumberFormat', credit_note: 'creditNoteNumberFormat', quote: 'quoteNumberFormat' } as const satisfies Record<SequenceKind, keyof BillingSettings>;

const EDITABLE = [
  'legalName', 'address', 'taxId', 'companyId', 'email', 'phone', 'bankName', 'iban', 'bic',
  'invoiceNumberFormat', 'creditNoteNumberFormat', 'quoteNumberFormat', 'numberReset', 'paymentTermsDays',
  'defaultTerms', 'defaultNotes', 'lateNoticeDays',
] as const satisfies ReadonlyArray<keyof UpdateBillingSettingsDto & keyof BillingSettings>;

/** Today's date in the studio's time zone (YYYY-MM-DD): documents are dated in the studio's calendar. */
export async function studioToday(m: EntityManager): Promise<string> {
  const { timeZone } = await m.getRepository(StudioSettings).findOneByOrFail({ id: 1 });
  return DateTime.now().setZone(timeZone).toISODate()!;
}

/**
 * The numbers the next finalization of each kind would get on `today`: the sequence's last value + 1,
 * read without locking or incrementing anything (a preview, never a reservation).
 */
async function nextNumbers(m: EntityManager, settings: BillingSettings, today: string): Promise<NextNumbersDto> {
  const period = settings.numberReset === 'yearly' ? today.slice(0, 4) : 'all';
  const rows = (await m.query(`SELECT "kind", "last_value" FROM "document_sequences" WHERE "period" = $1`, [period])) as Array<{ kind: SequenceKind; last_value: number }>;
  const next = (kind: SequenceKind) => renderNumber(settings[FORMAT_FIELDS[kind]], (rows.find((r) => r.kind === kind)?.last_value ?? 0) + 1, today);
  return { invoice: next('invoice'), creditNote: next('credit_note'), quote: next('quote') };
}

/**
 * Every number format must be usable with the reset rule that will be in force, and the three kinds
 * must not share a format (their numbers would collide on the unique index). A field that was sent is
 * named; a format left as it was but broken by a new `numberReset` names `numberReset`.
 */
function formatErrors(settings: BillingSettings, dto: UpdateBillingSettingsDto): FieldErrorDto[] {
  const errors: FieldErrorDto[] = [];
  for (const field of Object.values(FORMAT_FIELDS)) {
    const problem = numberFormatProblem(settings[field], settings.numberReset);
    if (problem) errors.push(dto[field] !== undefined ? { field, messages: [`${field} ${problem}`] } : { field: 'numberReset', messages: [`${field} "${settings[field]}" ${problem}`] });
  }
  const formats = Object.values(FORMAT_FIELDS);
  for (const field of formats) {
    const clash = formats.find((other) => other !== field && settings[other] === settings[field]);
    if (clash && dto[field] !== undefined) errors.push({ field, messages: [`${field} must differ from ${clash}: their numbers would collide`] });
  }
  return errors;
}

export const noLogo = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'The studio has no logo.');

/** Issue 11: what documents say about the studio and how they are numbered (the one row of billing_settings). */
@Injectable()
export class BillingSettingsService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
  ) {}

  get(): Promise<BillingSettingsDto> {
    return this.tenant.run(async (m) => this.toDto(m, await m.getRepository(BillingSettings).findOneByOrFail({ id: 1 })));
  }

  /** Locks the row so two concurrent patches each keep the other's fields. */
  update(dto: UpdateBillingSettingsDto): Promise<BillingSettingsDto> {
    return this.tenant.transaction(async (m) => {
      const repo = m.getRepository(BillingSettings);
      const settings = await repo.findOneOrFail({ where: { id: 1 }, lock: { mode: 'pessimistic_write' } });
      // Switching the reset rule moves every sequence to another period key ('all' ↔ the year), restarting
      // at 1: the next numbers would repeat issued ones and every finalization would be refused.
      if (dto.numberReset !== undefined && dto.numberReset !== settings.numberReset) {
        const [used] = (await m.query(`SELECT 1 FROM document_sequences LIMIT 1`)) as unknown[];
        if (used) {
          throw new ProblemException(HttpStatus.CONFLICT, 'numbering-in-use', 'Documents are already numbered: the reset rule cannot change any more. Change the number formats instead (for example a new prefix).');
        }
      }
      const fields = EDITABLE.filter((key) => dto[key] !== undefined);
      for (const key of fields) {
        const value = key === 'lateNoticeDays' ? [...dto.lateNoticeDays!].sort((a, b) => a - b) : dto[key];
        (settings as unknown as Record<string, unknown>)[key] = value;
      }
      const errors = formatErrors(settings, dto);
      if (errors.length) throw new ValidationProblem(errors);
      await repo.save(settings);
      await this.audit.record(m, { action: 'billing_settings.updated', targetType: 'billing_settings', targetId: null, details: { fields: [...fields].sort() } });
      return this.toDto(m, await repo.findOneByOrFail({ id: 1 }));
    });
  }

  /**
   * Reads the upload through the files module's inspector (byte limit, type sniffed from the bytes,
   * never the client's word): a PNG or JPEG of at most 512 KB, kept in the row.
   */
  async setLogo(source: UploadSource): Promise<void> {
    const inspector = new UploadInspector(MAX_LOGO_BYTES);
    const chunks: Buffer[] = [];
    const collect = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    try {
      await pipeline(source.stream, inspector, collect);
    } catch (err) {
      if (err instanceof UploadTooLargeError) throw logoTooLarge();
      throw err;
    }
    if (source.truncated() || inspector.bytes > MAX_LOGO_BYTES) throw logoTooLarge();
    if (inspector.bytes === 0) throw new ValidationProblem([{ field: 'file', messages: ['file must not be empty'] }], 'The file is empty.');
    const contentType = await inspector.sniffedType();
    if (!LOGO_TYPES.has(contentType)) {
      throw new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported-logo-type', `The logo must be a PNG or JPEG image; this file is ${contentType}.`);
    }
    await this.tenant.transaction(async (m) => {
      await m.query(`SELECT 1 FROM "billing_settings" WHERE "id" = 1 FOR UPDATE`);
      await m.getRepository(BillingSettings).update({ id: 1 }, { logo: Buffer.concat(chunks), logoContentType: contentType });
      await this.audit.record(m, { action: 'billing_settings.logo_set', targetType: 'billing_settings', targetId: null, details: { sizeBytes: inspector.bytes, contentType } });
    });
  }

  async logo(): Promise<{ bytes: Buffer; contentType: string }> {
    const [row] = (await this.tenant.run((m) => m.query(`SELECT "logo", "logo_content_type" FROM "billing_settings" WHERE "id" = 1`))) as Array<{
      logo: Buffer | null;
      logo_content_type: string | null;
    }>;
    if (!row?.logo || !row.logo_content_type) throw noLogo();
    return { bytes: row.logo, contentType: row.logo_content_type };
  }

  /** 204 whether or not there was one (the result is the same: no logo); recorded only when one is removed. */
  async removeLogo(): Promise<void> {
    await this.tenant.transaction(async (m) => {
      const removed = (await m.query(
        `UPDATE "billing_settings" SET "logo" = NULL, "logo_content_type" = NULL, "updated_at" = clock_timestamp() WHERE "id" = 1 AND "logo" IS NOT NULL RETURNING "id"`,
      )) as [unknown[], number];
      if (removed[1] > 0) await this.audit.record(m, { action: 'billing_settings.logo_removed', targetType: 'billing_settings', targetId: null });
    });
  }

  private async toDto(m: EntityManager, s: BillingSettings): Promise<BillingSettingsDto> {
    return {
      legalName: s.legalName,
      address: s.address,
      taxId: s.taxId,
      companyId: s.companyId,
      email: s.email,
      phone: s.phone,
      bankName: s.bankName,
      iban: s.iban,
      bic: s.bic,
      hasLogo: s.logoContentType !== null,
      invoiceNumberFormat: s.invoiceNumberFormat,
      creditNoteNumberFormat: s.creditNoteNumberFormat,
      quoteNumberFormat: s.quoteNumberFormat,
      numberReset: s.numberReset,
      paymentTermsDays: s.paymentTermsDays,
      defaultTerms: s.defaultTerms,
      defaultNotes: s.defaultNotes,
      lateNoticeDays: s.lateNoticeDays,
      nextNumbers: await nextNumbers(m, s, await studioToday(m)),
      updatedAt: s.updatedAt.toISOString(),
    };
  }
}

export const logoTooLarge = () => new ProblemException(HttpStatus.PAYLOAD_TOO_LARGE, 'logo-too-large', `The logo is larger than ${MAX_LOGO_BYTES / 1024} KB.`);

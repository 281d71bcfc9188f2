import { type ArgumentMetadata, Injectable, type PipeTransform, ValidationPipe, type ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';
import { type FieldErrorDto, ValidationProblem } from './problem.js';

/** Flattens class-validator's nested errors into `{field: 'a.b', messages}` entries. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldErrorDto[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...toFieldErrors(e.children ?? [], field)];
  });
}

const VALIDATOR_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true, // unknown fields are a 400, not silently dropped
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

function requireObject(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationProblem([], 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

/**
 * Unknown fields, checked against the DTO's declared properties in a Set. class-validator's own
 * whitelist looks names up in a plain object, so `constructor`, `toString`, `hasOwnProperty` … count
 * as "known" there and were silently dropped instead of refused (found by the contract fuzz test).
 */
function unknownFields(cls: Function, value: unknown): FieldErrorDto[] {
  if (!value || typeof value !== 'object') return [];
  const known = knownFields(cls);
  return Object.keys(value).filter((field) => !known.has(field)).map((field) => ({ field, messages: [`property ${field} should not exist`] }));
}

/** Issue 14, perf: a DTO's declared fields, read from the metadata once per class (it was on every request). */
const declaredFields = new WeakMap<Function, Set<string>>();
function knownFields(cls: Function): Set<string> {
  let known = declaredFields.get(cls);
  if (!known) {
    known = new Set(getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false).map((m) => m.propertyName));
    declaredFields.set(cls, known);
  }
  return known;
}

/**
 * Issue 14, perf: the fast path of query validation. A query string is a few short strings, and the same
 * ones come back request after request (a list's first page, its filters): class-transformer and
 * class-validator cost ~10 µs per request to reach the same answer again. So a query that passed is
 * remembered per DTO (its raw values → the transformed fields) and the next identical one gets a fresh
 * instance with those fields without running either. Only success is remembered: a bad query always takes
 * the full path, so the 400 problems are exactly those of the full pipe. Only for DTOs whose checks are all
 * pure built-in constraints of a value (below; a custom or nested validator could depend on more than the
 * value) and whose values are primitives; @Transform functions of query DTOs are pure normalisations.
 */
const PURE_CONSTRAINTS = new Set([
  'isInt', 'isNumber', 'isPositive', 'min', 'max', 'isString', 'maxLength', 'minLength', 'length', 'isIn', 'isEnum', 'isUUID',
  'matches', 'isBoolean', 'isBooleanString', 'isNumberString', 'isISO8601', 'isDateString', 'isNotEmpty', 'isDefined', 'isEmail',
]);
const QUERY_MEMO_SIZE = 256;
const queryMemo = new WeakMap<Function, Map<string, Record<string, unknown>> | null>();
function memoOf(cls: Function): Map<string, Record<string, unknown>> | null {
  let memo = queryMemo.get(cls);
  if (memo === undefined) {
    const metadata = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
    const pure = metadata.every((m) => m.type === 'conditionalValidation' || (m.type === 'customValidation' && PURE_CONSTRAINTS.has(m.name ?? '')) || (m.type === 'isDefined'));
    memo = pure ? new Map() : null;
    queryMemo.set(cls, memo);
  }
  return memo;
}
const primitiveEntries = (value: object) => Object.values(value).every((v) => v === null || typeof v !== 'object');

/** Field errors plus the unknown fields class-validator missed, each field once. */
function withUnknownFields(errors: FieldErrorDto[], unknown: FieldErrorDto[]): FieldErrorDto[] {
  const named = new Set(errors.map((e) => e.field));
  return [...errors, ...unknown.filter((u) => !named.has(u.field))];
}

/** Validates a request body outside the pipe (guards run before pipes; login needs this). */
export async function validateBody<T extends object>(cls: new () => T, body: unknown): Promise<T> {
  const plain = requireObject(body);
  const instance = plainToInstance(cls, plain);
  const errors = withUnknownFields(toFieldErrors(await validate(instance, VALIDATOR_OPTIONS)), unknownFields(cls, plain));
  if (errors.length) throw new ValidationProblem(errors);
  return instance;
}

/** The global pipe: strict DTO validation with problem+json field errors; bodies must be objects. */
@Injectable()
export class StrictValidationPipe implements PipeTransform {
  private readonly inner = new ValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => new ValidationProblem(toFieldErrors(errors)),
  });

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.metatype && metadata.metatype !== Object && (metadata.type === 'body' || metadata.type === 'query') ? metadata.metatype : undefined;
    if (dto && metadata.type === 'body') value = requireObject(value);
    const unknown = dto ? unknownFields(dto, value) : [];
    // Issue 14, perf: a query seen valid before (see memoOf) skips class-transformer and class-validator.
    const memo = dto && metadata.type === 'query' && !unknown.length && value && typeof value === 'object' && primitiveEntries(value) ? memoOf(dto) : null;
    const key = memo ? JSON.stringify(value) : '';
    const seen = memo?.get(key);
    if (seen) return Object.assign(Object.create(dto!.prototype as object) as object, seen);
    try {
      const result = await this.inner.transform(value, metadata);
      if (unknown.length) throw new ValidationProblem(unknown);
      if (memo && result && typeof result === 'object' && primitiveEntries(result)) {
        if (memo.size >= QUERY_MEMO_SIZE) memo.delete(memo.keys().next().value as string); // oldest first
        memo.set(key, { ...result });
      }
      return result;
    } catch (err) {
      if (err instanceof ValidationProblem && unknown.length) throw new ValidationProblem(withUnknownFields(err.toProblem().errors ?? [], unknown));
      throw err;
    }
  }
}

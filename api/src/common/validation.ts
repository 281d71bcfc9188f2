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
  const known = new Set(getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false).map((m) => m.propertyName));
  return Object.keys(value).filter((field) => !known.has(field)).map((field) => ({ field, messages: [`property ${field} should not exist`] }));
}

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
    try {
      const result = await this.inner.transform(value, metadata);
      if (unknown.length) throw new ValidationProblem(unknown);
      return result;
    } catch (err) {
      if (err instanceof ValidationProblem && unknown.length) throw new ValidationProblem(withUnknownFields(err.toProblem().errors ?? [], unknown));
      throw err;
    }
  }
}

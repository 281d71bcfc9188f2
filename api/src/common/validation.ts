import { type ArgumentMetadata, Injectable, type PipeTransform, ValidationPipe, type ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
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

/** Validates a request body outside the pipe (guards run before pipes; login needs this). */
export async function validateBody<T extends object>(cls: new () => T, body: unknown): Promise<T> {
  const instance = plainToInstance(cls, requireObject(body));
  const errors = await validate(instance, VALIDATOR_OPTIONS);
  if (errors.length) throw new ValidationProblem(toFieldErrors(errors));
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

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object) value = requireObject(value);
    return this.inner.transform(value, metadata);
  }
}

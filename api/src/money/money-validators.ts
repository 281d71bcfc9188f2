import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { MoneyError, rateTenThousandths } from './money.js';

/**
 * A tax rate or percentage as money.ts reads it: decimal text between 0 and 100 with at most 4
 * decimals ("20", "5.5"). The rule is money.ts's own (rateTenThousandths), so the API can never accept
 * a rate the totals would then refuse.
 */
export function IsPercent(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isPercent',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string') return false;
          try {
            rateTenThousandths(value);
            return true;
          } catch (err) {
            if (err instanceof MoneyError) return false;
            throw err;
          }
        },
        defaultMessage(args: ValidationArguments) {
          return `${args.property} must be a percentage between 0 and 100 with at most 4 decimals, as a string such as "20" or "5.5"`;
        },
      },
    });
}

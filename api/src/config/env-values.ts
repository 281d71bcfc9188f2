import { z } from 'zod';

/** The value shapes environment variables share (app-config.ts and its per-feature pieces). */
export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
/** A limit where 0 turns it off. */
export const limit = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

import { ApiParam } from '@nestjs/swagger';
import { ValidationProblem } from '../common/problem.js';
import { STUDIO_SLUG } from './dto/portal-auth.dto.js';

/** The OpenAPI schema of `:studioSlug` (what slugify() makes). */
export const StudioSlugParam = () => ApiParam({ name: 'studioSlug', schema: { type: 'string', maxLength: 100, pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' } });

/** `:studioSlug` as a slug, else a 400 problem (checked before anything is looked up). */
export const slugOf = (slug: string) => {
  if (slug.length > 100 || !STUDIO_SLUG.test(slug)) throw new ValidationProblem([{ field: 'studioSlug', messages: ['studioSlug must be a studio slug'] }]);
  return slug;
};

import { ApiProperty } from '@nestjs/swagger';

export const REVIEW_PERSON_KINDS = ['staff', 'client'] as const;
export type ReviewPersonKind = (typeof REVIEW_PERSON_KINDS)[number];

/**
 * Who decided a version or wrote a comment: a staff user (`id` is the user id) or, once the portal
 * issue lands, a client's portal account (`kind: 'client'`, `id` the portal account id).
 */
export class ReviewPersonDto {
  @ApiProperty({ enum: REVIEW_PERSON_KINDS, enumName: 'ReviewPersonKind' })
  kind: ReviewPersonKind;

  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, nullable: true, maxLength: 200, description: 'Display name; null when the account no longer exists' })
  name: string | null;
}

import { ApiProperty } from '@nestjs/swagger';

/** Issue 12: what the portal's header shows before and after sign-in. */
export class PortalBrandingDto {
  @ApiProperty({ maxLength: 200 }) name: string;
  @ApiProperty({ maxLength: 100 }) slug: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 300, description: 'Path of the studio logo (public), or null when the studio has none: show the name only' })
  logoUrl: string | null;
}

import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { ROLES, type Role } from '../../control/membership.entity.js';
import { OrganizationDto } from './auth-session.dto.js';

/** Hard cap on one user's studios in the list (no pagination: a person belongs to few studios). */
export const MAX_STUDIOS_LISTED = 500;

export class StudioMembershipDto {
  @ApiProperty({ type: OrganizationDto })
  organization: OrganizationDto;

  @ApiProperty({ enum: ROLES, enumName: 'Role' })
  role: Role;

  @ApiProperty({ description: 'The studio of the current session' })
  current: boolean;
}

export class StudioListDto {
  @ApiProperty({ type: [StudioMembershipDto], maxItems: MAX_STUDIOS_LISTED })
  items: StudioMembershipDto[];
}

export class SwitchStudioDto {
  @ApiProperty({ format: 'uuid', description: 'A studio you are a member of' })
  @IsUUID()
  organizationId: string;
}

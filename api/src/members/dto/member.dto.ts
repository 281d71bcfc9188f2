import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { PagedListDto, PageQueryDto } from '../../common/pagination.js';
import { ROLES, type Role } from '../../control/membership.entity.js';

export class MemberDto {
  @ApiProperty({ format: 'uuid', description: 'The membership id (used by PATCH and DELETE)' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ maxLength: 200, example: 'Ada Lovelace' })
  name: string;

  @ApiProperty({ format: 'email', maxLength: 320 })
  email: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role' })
  role: Role;

  @ApiProperty({ format: 'date-time', description: 'When they joined the studio' })
  createdAt: string;
}

export class MemberListDto extends PagedListDto(MemberDto) {}

export class ListMembersQueryDto extends PageQueryDto {}

export class UpdateMemberDto {
  @ApiProperty({ enum: ROLES, enumName: 'Role', description: 'Only an owner may grant or take away `owner`; the last owner keeps it' })
  @IsIn(ROLES)
  role: Role;
}

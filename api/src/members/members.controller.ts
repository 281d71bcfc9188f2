import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import type { Caller, Principal } from '../auth/auth.types.js';
import { CurrentCaller, CurrentPrincipal } from '../auth/current-principal.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { ListMembersQueryDto, MemberDto, MemberListDto, UpdateMemberDto } from './dto/member.dto.js';
import { MembersService } from './members.service.js';

/** Reading the team is for everyone in it; changing it is for admins (ownership for owners), by a person, not an API key. */
@ApiTags('members')
@ApiCookieAuth()
@Controller('api/v1/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @Access('viewer')
  @ApiOperation({ summary: "The studio's members and their roles", description: 'Ordered by email, with cursor pagination.' })
  @ApiOkResponse({ type: MemberListDto })
  @ApiProblems(400)
  listMembers(@CurrentCaller() caller: Caller, @Query() query: ListMembersQueryDto): Promise<MemberListDto> {
    return this.members.list(caller, query);
  }

  @Patch(':id')
  @Access('admin', { sessionOnly: true })
  @ApiOperation({
    summary: "Change a member's role",
    description: 'Only an owner may grant or take away `owner`. The last owner cannot be demoted (409). Takes effect on their next request.',
  })
  @ApiOkResponse({ type: MemberDto })
  @ApiProblems(400, 404, 409)
  updateMember(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam) id: string, @Body() dto: UpdateMemberDto): Promise<MemberDto> {
    return this.members.changeRole(principal, id, dto.role);
  }

  @Delete(':id')
  @Access('admin', { sessionOnly: true })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Remove a member from the studio',
    description: 'Ends their sessions in this studio at once and deletes the API keys they created here. Only an owner removes an owner; the last owner stays (409).',
  })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems(400, 404, 409)
  deleteMember(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam) id: string): Promise<void> {
    return this.members.remove(principal, id);
  }
}

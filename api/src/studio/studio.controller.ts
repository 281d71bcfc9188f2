import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { StudioSettingsDto, UpdateStudioSettingsDto } from './dto/studio-settings.dto.js';
import { StudioSettingsService } from './studio-settings.service.js';

// Issue 9 (resources): everyone in the studio reads its settings; admins change them.
@ApiTags('studio')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/studio')
export class StudioController {
  constructor(private readonly settings: StudioSettingsService) {}

  @Get()
  @Access('viewer')
  @ApiOperation({
    summary: "The studio's settings: time zone, default currency, opening hours, default buffers",
    description: 'Times of day are wall-clock times in `timeZone`. Every member may read them.',
  })
  @ApiOkResponse({ type: StudioSettingsDto })
  getStudio(): Promise<StudioSettingsDto> {
    return this.settings.get();
  }

  @Patch()
  @Access('admin')
  @ApiOperation({
    summary: "Change the studio's settings",
    description: 'Only the fields sent change; `openingHours` replaces the whole week. An invalid field is a 400 and nothing changes.',
  })
  @ApiOkResponse({ type: StudioSettingsDto })
  @ApiProblems(400)
  updateStudio(@Body() dto: UpdateStudioSettingsDto): Promise<StudioSettingsDto> {
    return this.settings.update(dto);
  }
}

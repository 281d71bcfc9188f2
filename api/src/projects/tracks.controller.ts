import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { CreateTrackDto, ReorderTracksDto, TrackDto, TrackListDto, UpdateTrackDto } from './dto/track.dto.js';
import { TracksService } from './tracks.service.js';

// Issue 10: viewers read; engineers and above add, edit, reorder and delete tracks.
@ApiTags('projects')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1')
export class TracksController {
  constructor(private readonly tracks: TracksService) {}

  @Get('projects/:id/tracks')
  @Access('viewer')
  @ApiOperation({ summary: "A project's tracks, in order", description: 'By position, 1 first.' })
  @ApiOkResponse({ type: TrackListDto })
  @ApiProblems(400, 404)
  listTracks(@Param('id', uuidParam) projectId: string): Promise<TrackListDto> {
    return this.tracks.list(projectId);
  }

  @Post('projects/:id/tracks')
  @Access('engineer')
  @ApiOperation({ summary: 'Add a track at the end of the project', description: 'An ISRC may be sent with hyphens or in lower case: it is stored as its 12 characters.' })
  @ApiCreatedResponse({ type: TrackDto })
  @ApiProblems(400, 404, 409)
  createTrack(@Param('id', uuidParam) projectId: string, @Body() dto: CreateTrackDto): Promise<TrackDto> {
    return this.tracks.create(projectId, dto);
  }

  @Put('projects/:id/tracks/order')
  @Access('engineer')
  @ApiOperation({ summary: "Reorder a project's tracks in one call", description: '`trackIds` must name every track of the project exactly once (400 otherwise, and nothing changes).' })
  @ApiOkResponse({ type: TrackListDto })
  @ApiProblems(400, 404)
  reorderTracks(@Param('id', uuidParam) projectId: string, @Body() dto: ReorderTracksDto): Promise<TrackListDto> {
    return this.tracks.reorder(projectId, dto.trackIds);
  }

  @Patch('tracks/:id')
  @Access('engineer')
  @ApiOperation({ summary: 'Change a track; null clears artist, ISRC, BPM or key', description: 'Only the fields sent change; reorder with PUT /projects/{id}/tracks/order.' })
  @ApiOkResponse({ type: TrackDto })
  @ApiProblems(400, 404)
  updateTrack(@Param('id', uuidParam) id: string, @Body() dto: UpdateTrackDto): Promise<TrackDto> {
    return this.tracks.update(id, dto);
  }

  @Delete('tracks/:id')
  @Access('engineer')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a track', description: 'The tracks after it move up one position.' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 404)
  deleteTrack(@Param('id', uuidParam) id: string): Promise<void> {
    return this.tracks.remove(id);
  }
}

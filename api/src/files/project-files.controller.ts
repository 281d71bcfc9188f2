import { Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { FileDto, FileListDto } from './dto/file.dto.js';
import { ProjectFilesQueryDto } from './dto/file-input.dto.js';
import { FilesService } from './files.service.js';
import { MultipartUpload, receiveUpload } from './multipart-upload.js';
import { ApiFileUpload } from './upload-route.decorator.js';

const UPLOAD_DESCRIPTION =
  'multipart/form-data with one part named `file`, streamed to storage (never held in memory). The type is sniffed from the bytes, ' +
  'the SHA-256 computed on the way; the file name is kept for display only. Larger than MAX_UPLOAD_MB: 413 `file-too-large` and nothing ' +
  'stored; empty: 400. WAV, MP3 and FLAC get `peaksStatus: pending` (a waveform job is queued).';

// Issue 10, files: viewers read; engineers and above upload (they run the sessions).
@ApiTags('files')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/projects/:id/files')
export class ProjectFilesController {
  constructor(private readonly files: FilesService) {}

  @Post()
  @MultipartUpload()
  @Access('engineer')
  @ApiOperation({ summary: "Upload a file to a project (or one of its tracks: `?trackId`)", description: UPLOAD_DESCRIPTION })
  @ApiFileUpload()
  uploadProjectFile(@Param('id', uuidParam) projectId: string, @Query() query: ProjectFilesQueryDto, @Req() request: FastifyRequest): Promise<FileDto> {
    return receiveUpload(request, (source) => this.files.upload({ projectId, trackId: query.trackId }, source));
  }

  @Get()
  @Access('viewer')
  @ApiOperation({ summary: "A project's files, newest first", description: '`trackId` narrows the list to one track.' })
  @ApiOkResponse({ type: FileListDto })
  @ApiProblems(400, 404)
  listProjectFiles(@Param('id', uuidParam) projectId: string, @Query() query: ProjectFilesQueryDto): Promise<FileListDto> {
    return this.files.listForProject(projectId, query.trackId);
  }
}

@ApiTags('files')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/bookings/:id/files')
export class BookingFilesController {
  constructor(private readonly files: FilesService) {}

  @Post()
  @MultipartUpload()
  @Access('engineer')
  @ApiOperation({ summary: 'Upload a file to a booking (a session recording, notes…)', description: UPLOAD_DESCRIPTION })
  @ApiFileUpload()
  uploadBookingFile(@Param('id', uuidParam) bookingId: string, @Req() request: FastifyRequest): Promise<FileDto> {
    return receiveUpload(request, (source) => this.files.upload({ bookingId }, source));
  }

  @Get()
  @Access('viewer')
  @ApiOperation({ summary: "A booking's files, newest first", description: 'Files uploaded to the booking (session recordings, notes).' })
  @ApiOkResponse({ type: FileListDto })
  @ApiProblems(400, 404)
  listBookingFiles(@Param('id', uuidParam) bookingId: string): Promise<FileListDto> {
    return this.files.listForBooking(bookingId);
  }
}

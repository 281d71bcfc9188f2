import { Controller, Delete, Get, Headers, HttpCode, HttpStatus, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { FileDto, StorageUsageDto } from './dto/file.dto.js';
import { FileContentQueryDto } from './dto/file-input.dto.js';
import { ApiFileContent, sendFileContent } from './file-content.reply.js';
import { FileContentService } from './file-content.service.js';
import { FilesService } from './files.service.js';

@ApiTags('files')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/files')
export class FilesController {
  constructor(
    private readonly files: FilesService,
    private readonly content: FileContentService,
  ) {}

  @Get('usage')
  @Access('viewer')
  @ApiOperation({ summary: "The studio's storage usage", description: 'The bytes and count of every file of the studio, wherever stored.' })
  @ApiOkResponse({ type: StorageUsageDto })
  getStorageUsage(): Promise<StorageUsageDto> {
    return this.files.usage();
  }

  @Get(':id')
  @Access('viewer')
  @ApiOperation({ summary: 'Get one file', description: 'Its description; the bytes are at `contentUrl`. A file of another studio is a 404.' })
  @ApiOkResponse({ type: FileDto })
  @ApiProblems(400, 404)
  getFile(@Param('id', uuidParam) id: string): Promise<FileDto> {
    return this.files.get(id);
  }

  @Get(':id/content')
  @Access('viewer')
  @ApiOperation({
    summary: "Download a file's bytes",
    description:
      'Streamed, with the sniffed Content-Type, Content-Length, ETag (the SHA-256) and Content-Disposition carrying the original name (RFC 6266). ' +
      'Range (one byte range) → 206, a range past the end → 416; If-None-Match → 304. `disposition=inline` lets the audio player stream it.',
  })
  @ApiFileContent()
  @ApiProblems(400, 404, 416)
  async getFileContent(
    @Param('id', uuidParam) id: string,
    @Query() query: FileContentQueryDto,
    @Headers('range') range: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Headers('if-range') ifRange: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile | undefined> {
    return sendFileContent(await this.content.open(id, { range, ifNoneMatch, ifRange }), query.disposition, reply);
  }

  @Delete(':id')
  @Access('engineer')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete a file',
    description: 'The row goes first, then the blob (a row never points at nothing). A file a deliverable version uses is kept: 409 `file-in-use`.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 404, 409)
  deleteFile(@Param('id', uuidParam) id: string): Promise<void> {
    return this.files.remove(id);
  }
}

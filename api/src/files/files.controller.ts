import { Controller, Delete, Get, Headers, HttpCode, HttpStatus, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiCookieAuth, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { ProblemException } from '../common/problem.js';
import { uuidParam } from '../common/uuid-param.js';
import { FileDto, MAX_FILE_BYTES, StorageUsageDto } from './dto/file.dto.js';
import { FileContentQueryDto } from './dto/file-input.dto.js';
import { FileContentService } from './file-content.service.js';
import { FilesService } from './files.service.js';

/**
 * Types a browser may render in place from our origin: media and plain images. Anything else (HTML,
 * SVG, XML, PDF…) could run script or be mistaken for a page, so it is always an attachment.
 */
const BINARY = { type: 'string', format: 'binary', maxLength: MAX_FILE_BYTES };

const INLINE_SAFE = /^(audio|video)\/|^image\/(png|jpeg|gif|webp|avif)$/;

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
  @ApiHeader({ name: 'Range', required: false, schema: { type: 'string', maxLength: 200, example: 'bytes=0-1023' } })
  @ApiHeader({ name: 'If-None-Match', required: false, schema: { type: 'string', maxLength: 200 } })
  @ApiResponse({ status: 200, description: 'The whole file', content: { 'application/octet-stream': { schema: BINARY } } })
  @ApiResponse({ status: 206, description: 'The requested byte range', content: { 'application/octet-stream': { schema: BINARY } } })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag)' })
  @ApiProblems(400, 404, 416)
  async getFileContent(
    @Param('id', uuidParam) id: string,
    @Query() query: FileContentQueryDto,
    @Headers('range') range: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Headers('if-range') ifRange: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile | undefined> {
    const result = await this.content.open(id, { range, ifNoneMatch, ifRange });
    const { file } = result;
    reply.header('etag', result.etag).header('accept-ranges', 'bytes').header('cache-control', 'private, no-cache');
    if (result.kind === 'not-modified') {
      reply.status(HttpStatus.NOT_MODIFIED);
      return undefined;
    }
    if (result.kind === 'unsatisfiable') {
      reply.header('content-range', `bytes */${file.sizeBytes}`);
      throw new ProblemException(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, 'range-not-satisfiable', `The file has ${file.sizeBytes} bytes; the range asks for bytes past its end.`);
    }
    const inline = query.disposition === 'inline' && INLINE_SAFE.test(file.contentType);
    reply
      .header('content-type', file.contentType)
      .header('content-disposition', contentDisposition(file.originalName, { type: inline ? 'inline' : 'attachment' }))
      // The bytes are the uploader's: never a page of ours (no script, no plugins, no framing).
      .header('content-security-policy', "default-src 'none'; sandbox");
    const { range: served } = result;
    if (served) {
      reply.status(HttpStatus.PARTIAL_CONTENT).header('content-range', `bytes ${served.start}-${served.end}/${file.sizeBytes}`);
    }
    const length = served ? served.end - served.start + 1 : file.sizeBytes;
    reply.header('content-length', String(length));
    return new StreamableFile(result.stream, { length });
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

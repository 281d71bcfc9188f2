import { applyDecorators, HttpStatus, StreamableFile } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply } from 'fastify';
import { ProblemException } from '../common/problem.js';
import { MAX_FILE_BYTES } from './dto/file.dto.js';
import type { ContentResult } from './file-content.service.js';

/**
 * Types a browser may render in place from our origin: media and plain images. Anything else (HTML,
 * SVG, XML, PDF…) could run script or be mistaken for a page, so it is always an attachment.
 */
const INLINE_SAFE = /^(audio|video)\/|^image\/(png|jpeg|gif|webp|avif)$/;

const BINARY = { type: 'string', format: 'binary', maxLength: MAX_FILE_BYTES };

/** The OpenAPI description of a download route (staff `/files/{id}/content`, issue 12's portal version download). */
export const ApiFileContent = () =>
  applyDecorators(
    ApiHeader({ name: 'Range', required: false, schema: { type: 'string', maxLength: 200, example: 'bytes=0-1023' } }),
    ApiHeader({ name: 'If-None-Match', required: false, schema: { type: 'string', maxLength: 200 } }),
    ApiResponse({ status: 200, description: 'The whole file', content: { 'application/octet-stream': { schema: BINARY } } }),
    ApiResponse({ status: 206, description: 'The requested byte range', content: { 'application/octet-stream': { schema: BINARY } } }),
    ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag)' }),
  );

/**
 * Writes what FileContentService.open found as the HTTP answer (304, 416, 206 or 200 with its headers).
 * One function for every download route, so the staff and portal downloads send the same headers.
 */
export function sendFileContent(result: ContentResult, disposition: 'attachment' | 'inline' | undefined, reply: FastifyReply): StreamableFile | undefined {
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
  const inline = disposition === 'inline' && INLINE_SAFE.test(file.contentType);
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

import type { MultipartFile } from '@fastify/multipart';
import { HttpException, HttpStatus } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemException, ValidationProblem } from '../common/problem.js';
import { routeConfig } from '../common/route-config.js';
import type { UploadSource } from './files.service.js';

/**
 * Marks an upload route: the only routes a multipart/form-data body may reach, and the ones whose body
 * may take UPLOAD_TIMEOUT_MS to arrive (`longBody`, common/http-server.ts) rather than REQUEST_TIMEOUT_MS.
 */
export const MultipartUpload = () => RouteConfig({ multipartUpload: true, longBody: true });

/**
 * The API takes JSON bodies only (common/request-input.ts), except on upload routes: a multipart body
 * anywhere else is refused with the same 415 as any other non-JSON body, before it is parsed.
 * Registered in app.factory right after the multipart plugin.
 */
export function refuseMultipartOutsideUploads(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    const multipart = /^multipart\//i.test(request.headers['content-type'] ?? '');
    const allowed = routeConfig(request.routeOptions).multipartUpload === true;
    if (multipart && !allowed) {
      return done(new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported-media-type', 'Request bodies must be JSON (Content-Type: application/json).'));
    }
    done(null, payload);
  });
}

const needsFilePart = () =>
  new ValidationProblem([{ field: 'file', messages: ['send multipart/form-data with one part named file'] }], 'The request carries no file.');

/** busboy's words for a body that stopped mid-part (the client went away or sent a broken form). */
const TRUNCATED_FORM = /Unexpected end of form|Part terminated early|premature close/i;

/**
 * For upload routes: takes the one file part of a multipart request and hands the service a plain
 * UploadSource (a Readable, the client's name and type); the service never sees Fastify. Whatever the
 * service did not read (an upload refused before its bytes were stored, e.g. an unknown project) is
 * drained afterwards, so the client gets its answer rather than a stalled upload. The multipart plugin
 * is registered once in app.factory with MAX_UPLOAD_MB as its file size limit: a file cut there shows
 * as `truncated`.
 */
export async function receiveUpload<T>(request: FastifyRequest, store: (source: UploadSource) => Promise<T>): Promise<T> {
  if (!request.isMultipart()) throw needsFilePart();
  const part: MultipartFile | undefined = await request.file();
  if (!part) throw needsFilePart();
  const release = () => {
    if (!part.file.destroyed && !part.file.readableEnded) part.file.resume();
  };
  try {
    if (part.fieldname !== 'file') throw needsFilePart();
    return await store({ stream: part.file, fileName: part.filename, declaredType: part.mimetype, truncated: () => part.file.truncated });
  } catch (err) {
    if (!(err instanceof HttpException) && (request.raw.destroyed || TRUNCATED_FORM.test(String(err)))) {
      throw new ProblemException(HttpStatus.BAD_REQUEST, 'upload-interrupted', 'The upload stopped before the whole file arrived; nothing was stored.');
    }
    throw err;
  } finally {
    release();
  }
}

import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse } from '@nestjs/swagger';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { FileDto, FileUploadBodyDto } from './dto/file.dto.js';

/** The OpenAPI description every upload route shares: a multipart body with one `file` part, 201 File. */
export function ApiFileUpload() {
  return applyDecorators(
    ApiConsumes('multipart/form-data'),
    ApiBody({ type: FileUploadBodyDto }),
    ApiCreatedResponse({ type: FileDto }),
    ApiProblems(400, 404, 413),
  );
}

import { HttpException, HttpStatus } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

export class FieldErrorDto {
  @ApiProperty({ example: 'email', description: 'Dotted path of the offending field' })
  field: string;

  @ApiProperty({ type: [String], example: ['email must be an email'] })
  messages: string[];
}

/** RFC 9457 problem details: the body of every error response. */
export class ProblemDto {
  @ApiProperty({ example: 'https://rsm.dev/problems/validation', description: 'URI identifying the problem type' })
  type: string;

  @ApiProperty({ example: 'Bad Request' })
  title: string;

  @ApiProperty({ example: 400 })
  status: number;

  @ApiProperty({ example: 'The request body is invalid.' })
  detail: string;

  @ApiPropertyOptional({ example: '/api/v1/clients' })
  instance?: string;

  @ApiPropertyOptional({ description: 'Correlates this response with the server logs' })
  requestId?: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Present on validation problems' })
  errors?: FieldErrorDto[];
}

export const PROBLEM_BASE = 'https://rsm.dev/problems/';

/** An HttpException that carries a complete problem body. Throw it anywhere; the filter renders it. */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly problemType: string,
    detail: string,
    readonly extra: Partial<Pick<ProblemDto, 'errors'>> = {},
    title?: string,
  ) {
    super({ detail }, status);
    this.problemTitle = title ?? STATUS_CODES[status] ?? 'Error';
    this.message = detail;
  }

  readonly problemTitle: string;

  toProblem(): ProblemDto {
    return {
      type: PROBLEM_BASE + this.problemType,
      title: this.problemTitle,
      status: this.getStatus(),
      detail: this.message,
      ...this.extra,
    };
  }
}

export class ValidationProblem extends ProblemException {
  constructor(errors: FieldErrorDto[], detail = 'The request is invalid: see errors for each field.') {
    super(HttpStatus.BAD_REQUEST, 'validation', detail, { errors });
  }
}

/** Problem type for a well-known status when nothing more specific applies. */
export function problemTypeFor(status: number): string {
  switch (status) {
    case 400: return PROBLEM_BASE + 'bad-request';
    case 401: return PROBLEM_BASE + 'unauthenticated';
    case 403: return PROBLEM_BASE + 'forbidden';
    case 404: return PROBLEM_BASE + 'not-found';
    case 409: return PROBLEM_BASE + 'conflict';
    case 413: return PROBLEM_BASE + 'payload-too-large';
    case 415: return PROBLEM_BASE + 'unsupported-media-type';
    case 429: return PROBLEM_BASE + 'rate-limited';
    case 503: return PROBLEM_BASE + 'service-unavailable';
    default: return status >= 500 ? PROBLEM_BASE + 'internal' : 'about:blank';
  }
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

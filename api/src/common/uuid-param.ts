import { ParseUUIDPipe } from '@nestjs/common';
import { ValidationProblem } from './problem.js';

/** `@Param('id', uuidParam)`: a 400 validation problem for an id that is not a UUID (the contract then marks it format uuid). */
export const uuidParam = new ParseUUIDPipe({
  exceptionFactory: () => new ValidationProblem([{ field: 'id', messages: ['id must be a UUID'] }]),
});

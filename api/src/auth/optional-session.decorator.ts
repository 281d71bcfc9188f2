import { applyDecorators, SetMetadata } from '@nestjs/common';
import { AllowWhileSuspended } from './allow-while-suspended.decorator.js';
import { Public } from './public.decorator.js';

export const OPTIONAL_SESSION = 'rsm:optionalSession';

/**
 * A public route that still reads the session cookie: the global session guard resolves it when one
 * is presented (request.user is then set and the request spends that user's budget), and a missing,
 * unknown or expired session is simply "not signed in" rather than a 401 (so it spends no refused-
 * session budget either). Works for a suspended studio too: it only says who is signed in.
 */
export const OptionalSession = () => applyDecorators(Public(), AllowWhileSuspended(), SetMetadata(OPTIONAL_SESSION, true));

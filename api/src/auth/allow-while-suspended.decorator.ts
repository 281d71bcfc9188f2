import { SetMetadata } from '@nestjs/common';

export const ALLOWED_WHILE_SUSPENDED = 'rsm:allowedWhileSuspended';

/**
 * Marks a staff route that still works while the studio is suspended (who am I, log out, verify
 * the email): the way out of a suspension. Every other staff route answers 403 studio-suspended.
 */
export const AllowWhileSuspended = () => SetMetadata(ALLOWED_WHILE_SUSPENDED, true);

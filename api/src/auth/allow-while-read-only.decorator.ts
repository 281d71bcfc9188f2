import { SetMetadata } from '@nestjs/common';

export const ALLOWED_WHILE_READ_ONLY = 'rsm:allowedWhileReadOnly';

/**
 * Marks a write that still works while the studio is read-only because its subscription lapsed
 * (issue 11): paying (the subscription's checkout and portal), and the account's own security
 * (change the password, end a session, revoke an API key). Routes allowed while suspended are
 * allowed too. Every other write answers 402 subscription-past-due; reads are never blocked.
 */
export const AllowWhileReadOnly = () => SetMetadata(ALLOWED_WHILE_READ_ONLY, true);

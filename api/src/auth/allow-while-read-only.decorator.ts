import { SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { ALLOWED_WHILE_SUSPENDED } from './allow-while-suspended.decorator.js';

export const ALLOWED_WHILE_READ_ONLY = 'rsm:allowedWhileReadOnly';

/**
 * Marks a write that still works while the studio is read-only because its subscription lapsed
 * (issue 11): paying (the subscription's checkout and portal), and the account's own security
 * (change the password, end a session, revoke an API key). Routes allowed while suspended are
 * allowed too. Every other write answers 402 subscription-past-due; reads are never blocked.
 */
export const AllowWhileReadOnly = () => SetMetadata(ALLOWED_WHILE_READ_ONLY, true);

/** Whether a route (its handler and controller) may write while the studio is read-only: the guard and the OpenAPI contract both ask this. */
export function allowedWhileReadOnly(reflector: Reflector, targets: Function[]): boolean {
  return reflector.getAllAndOverride<boolean>(ALLOWED_WHILE_READ_ONLY, targets) === true || reflector.getAllAndOverride<boolean>(ALLOWED_WHILE_SUSPENDED, targets) === true;
}

import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'rsm:isPublic';

/** Marks a route that needs no session (sign-up, login, health). Every other route requires one. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

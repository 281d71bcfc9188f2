import { Module } from '@nestjs/common';
import { IdempotentWrites } from './idempotent-writes.js';

@Module({ providers: [IdempotentWrites], exports: [IdempotentWrites] })
export class IdempotencyModule {}

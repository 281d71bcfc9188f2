import { Global, Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditLog } from './audit-log.service.js';
import { AuditService } from './audit.service.js';

/** The audit log: AuditLog (global, so every feature's service can write through it) and its list route. */
@Global()
@Module({ controllers: [AuditController], providers: [AuditLog, AuditService], exports: [AuditLog] })
export class AuditModule {}

import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { MailModule } from '../mail/mail.module.js';
import { DocumentsController } from './documents.controller.js';
import { DocumentsService } from './documents.service.js';
import { ExportsController } from './exports.controller.js';
import { ExportsService } from './exports.service.js';

/** Issue 11, documents: invoice/credit-note/statement PDFs, sending invoices by email, CSV exports. */
@Module({ imports: [MailModule, IdempotencyModule], controllers: [DocumentsController, ExportsController], providers: [DocumentsService, ExportsService], exports: [DocumentsService] }) // exported: issue 12, the portal's invoice PDFs
export class DocumentsModule {}

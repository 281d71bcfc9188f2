import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { FileContentService } from './file-content.service.js';
import { FilesController } from './files.controller.js';
import { FilesService } from './files.service.js';
import { BookingFilesController, ProjectFilesController } from './project-files.controller.js';
import { FileStores } from './storage/file-stores.service.js';

/**
 * Issue 10: uploads (streamed, sniffed, hashed), downloads (Range, ETag) and the blob stores. Exports
 * FileStores (the peaks job reads blobs through it) and FilesService (deliverables check files).
 */
@Module({
  imports: [JobsModule],
  controllers: [FilesController, ProjectFilesController, BookingFilesController],
  providers: [FilesService, FileContentService, FileStores],
  exports: [FileStores, FilesService, FileContentService], // issue 12: the portal downloads a version's file through FileContentService
})
export class FilesModule {}

import { Module } from '@nestjs/common';
import { JobsModule } from '../../jobs/jobs.module.js';
import { FilesModule } from '../files.module.js';
import { FilePeaksController } from './file-peaks.controller.js';
import { FilePeaksJob } from './file-peaks.job.js';
import { FilePeaksService } from './file-peaks.service.js';

/** Issue 10, peaks: the waveform job on FILE_PEAKS_QUEUE and GET /files/{id}/peaks. */
@Module({
  imports: [JobsModule, FilesModule], // FilesModule: FileStores, to read the blobs
  controllers: [FilePeaksController],
  providers: [FilePeaksService, FilePeaksJob],
  exports: [FilePeaksService], // issue 12: the portal player's waveform
})
export class FilePeaksModule {}

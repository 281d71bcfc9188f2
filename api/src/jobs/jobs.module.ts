import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { JobQueue } from './job-queue.service.js';
import { MaintenanceJob } from './maintenance.job.js';
import { StudioSweep } from './studio-sweep.service.js';

/** Background jobs on the PostgreSQL-backed queue (DESIGN.md, "Background jobs"). */
@Module({
  imports: [AuthModule],
  providers: [JobQueue, MaintenanceJob, StudioSweep],
  exports: [JobQueue, StudioSweep],
})
export class JobsModule {}

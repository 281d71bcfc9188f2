import { Module } from '@nestjs/common';
import { ProjectsController } from './projects.controller.js';
import { ProjectsService } from './projects.service.js';
import { TracksController } from './tracks.controller.js';
import { TracksService } from './tracks.service.js';

/** Issue 10: projects of a client, with their tracks and summary. */
@Module({ controllers: [ProjectsController, TracksController], providers: [ProjectsService, TracksService] })
export class ProjectsModule {}

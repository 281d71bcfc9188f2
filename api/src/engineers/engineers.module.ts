import { Module } from '@nestjs/common';
import { EngineerMembers } from './engineer-members.js';
import { EngineersController } from './engineers.controller.js';
import { EngineersService } from './engineers.service.js';

@Module({ controllers: [EngineersController], providers: [EngineersService, EngineerMembers], exports: [EngineersService] })
export class EngineersModule {}

import { Module } from '@nestjs/common';
import { StudioModule } from '../studio/studio.module.js';
import { RoomsController } from './rooms.controller.js';
import { RoomBoardService } from './room-board.service.js';
import { RoomsService } from './rooms.service.js';

@Module({ imports: [StudioModule], controllers: [RoomsController], providers: [RoomsService, RoomBoardService], exports: [RoomsService] })
export class RoomsModule {}

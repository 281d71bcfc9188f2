import { Module } from '@nestjs/common';
import { RecallSheetsController } from './recall-sheets.controller.js';
import { RecallSheetsService } from './recall-sheets.service.js';

/** Issue 9 (booking-extras): recall / track sheets per booking, versioned by save. */
@Module({ controllers: [RecallSheetsController], providers: [RecallSheetsService] })
export class RecallSheetsModule {}

import { Module } from '@nestjs/common';
import { StudioController } from './studio.controller.js';
import { StudioSettingsService } from './studio-settings.service.js';

/** Studio settings; StudioSettingsService is exported for bookings (time zone, hours, buffers). */
@Module({ controllers: [StudioController], providers: [StudioSettingsService], exports: [StudioSettingsService] })
export class StudioModule {}

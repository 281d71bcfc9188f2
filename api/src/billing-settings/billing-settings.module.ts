import { Module } from '@nestjs/common';
import { BillingSettingsController } from './billing-settings.controller.js';
import { BillingSettingsService } from './billing-settings.service.js';

/** Issue 11: the studio's billing settings and logo. */
@Module({ controllers: [BillingSettingsController], providers: [BillingSettingsService], exports: [BillingSettingsService] })
export class BillingSettingsModule {}

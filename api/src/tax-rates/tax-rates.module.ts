import { Module } from '@nestjs/common';
import { TaxRatesController } from './tax-rates.controller.js';
import { TaxRatesService } from './tax-rates.service.js';

/** Issue 11: the studio's tax rates. TaxRatesService is exported (invoices read the default rate). */
@Module({ controllers: [TaxRatesController], providers: [TaxRatesService], exports: [TaxRatesService] })
export class TaxRatesModule {}

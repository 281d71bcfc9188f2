import { Module } from '@nestjs/common';
import { QuoteLifecycleService } from './quote-lifecycle.service.js';
import { QuotesController } from './quotes.controller.js';
import { QuotesService } from './quotes.service.js';

@Module({
  controllers: [QuotesController],
  providers: [QuotesService, QuoteLifecycleService],
  exports: [QuoteLifecycleService], // issue 12: the portal's accept and decline take the same path
})
export class QuotesModule {}

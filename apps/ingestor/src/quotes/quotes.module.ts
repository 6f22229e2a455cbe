import { Module } from '@nestjs/common';
import { QualityModule } from '../quality/quality.module';
import { DailyCandles } from './daily-candles';
import { QuoteReader } from './quote-reader';
import { QuoteStream } from './quote-stream';
import { QuotesController } from './quotes.controller';
import { QuotesService } from './quotes.service';
import { SymbolsController } from './symbols.controller';

/** The quotes API: reads of the stored quotes, candles, the export and the live stream. */
@Module({
  imports: [QualityModule],
  controllers: [QuotesController, SymbolsController],
  providers: [QuoteReader, QuotesService, DailyCandles, QuoteStream],
  exports: [QuoteReader, QuotesService, QuoteStream],
})
export class QuotesModule {}

import { Module } from '@nestjs/common';
import { QuotesModule } from '../quotes/quotes.module';
import { DashboardController } from './dashboard.controller';

/** The dashboard page (`GET /`) and its watch-list route; the page reads `/status` and the quotes API from the browser. */
@Module({ imports: [QuotesModule], controllers: [DashboardController] })
export class DashboardModule {}

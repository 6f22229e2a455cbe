import { Module } from '@nestjs/common';
import { QuoteQueue } from './quote-queue';

/** The SQS publish adapter, for the live ingest and the backfill alike. */
@Module({ providers: [QuoteQueue], exports: [QuoteQueue] })
export class QuoteQueueModule {}

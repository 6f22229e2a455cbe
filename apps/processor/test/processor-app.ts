import { quoteflowConfig, type QuoteflowConfig } from '@app/common';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ProcessorModule } from '../src/processor.module';

/** The real processor app: its SQS consumer starts polling on init. */
export async function startProcessor(config: QuoteflowConfig): Promise<INestApplication> {
  const module = await Test.createTestingModule({ imports: [ProcessorModule] })
    .overrideProvider(quoteflowConfig.KEY)
    .useValue(config)
    .compile();
  const app = module.createNestApplication({ logger: ['error', 'warn'] });
  await app.init();
  return app;
}

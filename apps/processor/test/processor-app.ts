import { quoteflowConfig, type QuoteflowConfig } from '@app/common';
import type { INestApplication } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { configureProcessorApp } from '../src/app.setup';
import { ProcessorModule } from '../src/processor.module';

/** The real processor app: its SQS consumer starts polling on init. `customise` may override providers. */
export async function startProcessor(
  config: QuoteflowConfig,
  customise: (builder: TestingModuleBuilder) => TestingModuleBuilder = (builder) => builder,
): Promise<INestApplication> {
  const module = await customise(Test.createTestingModule({ imports: [ProcessorModule] }).overrideProvider(quoteflowConfig.KEY).useValue(config)).compile();
  const app = configureProcessorApp(module.createNestApplication({ bufferLogs: true }));
  await app.init();
  return app;
}

import type { QuoteflowConfig } from '@app/common';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startIngestor } from '../../apps/ingestor/test/ingestor-app';
import { startProcessor } from '../../apps/processor/test/processor-app';
import { FakeUpstream } from './fake-upstream';
import { TEST_RAPIDAPI_KEY } from './secrets';
import { testConfig } from './test-stack';

/**
 * The whole pipeline in the test process: a fake RapidAPI upstream on 127.0.0.1, the real ingestor
 * and processor apps on a queue, DLQ and table of their own. Upstream answers are set on `upstream`.
 */
export class InProcessPipeline {
  readonly upstream = new FakeUpstream();
  config!: QuoteflowConfig;
  ingestor!: INestApplication;
  processor!: INestApplication;

  /** `env` adds to (or overrides) latest-stock-price with the test key against the fake upstream. */
  async start(env: Record<string, string> = {}): Promise<this> {
    await this.upstream.start();
    this.config = await testConfig({ MARKET_DATA_PROVIDER: 'latest-stock-price', RAPIDAPI_KEY: TEST_RAPIDAPI_KEY, RAPIDAPI_BASE_URL: this.upstream.url, ...env });
    this.ingestor = await startIngestor(this.config);
    this.processor = await startProcessor(this.config);
    return this;
  }

  async stop(): Promise<void> {
    await this.processor?.close();
    await this.ingestor?.close();
    await this.upstream.stop();
  }

  /** supertest against the ingestor's HTTP API. */
  api() {
    return request(this.ingestor.getHttpServer());
  }
}

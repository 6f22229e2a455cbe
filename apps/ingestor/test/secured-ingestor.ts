import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { TEST_ADMIN_API_KEY } from '../../../test/support/secrets';
import { testConfig } from '../../../test/support/test-stack';
import { startIngestor } from './ingestor-app';

/** A supertest client of one in-process ingestor. */
export type Api = () => ReturnType<typeof request>;

/**
 * Set-up of the HTTP security suites: the returned `start(env)` runs an ingestor with the test
 * admin key and `env` on a stack of its own, and answers a client of it. Call it in a `describe`:
 * it registers the `afterAll` that closes every ingestor it started.
 */
export function securedIngestors(): (env?: Record<string, string>) => Promise<Api> {
  const apps: INestApplication[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });
  return async (env = {}) => {
    const app = await startIngestor(await testConfig({ ADMIN_API_KEY: TEST_ADMIN_API_KEY, ...env }));
    apps.push(app);
    return () => request(app.getHttpServer());
  };
}

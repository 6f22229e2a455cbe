import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Context } from 'aws-lambda';
import { httpApiEventFactory } from '../../../test/support/lambda-events';
import { testStack } from '../../../test/support/test-stack';
import { TEST_ADMIN_API_KEY } from '../../../test/support/secrets';
import { handler } from '../src/lambda';

const ADMIN_KEY = TEST_ADMIN_API_KEY;

/**
 * Behind API Gateway the client is the event's `requestContext.http.sourceIp` (serverless-express
 * makes it the request's remote address), so the limit counts each caller without `TRUST_PROXY`.
 */
describe('ingestor Lambda handler: rate limit', () => {
  const createApp = jest.spyOn(NestFactory, 'create');
  const get = (path: string, sourceIp: string, headers?: Record<string, string>) =>
    handler(httpApiEventFactory('GET', path, { sourceIp, headers }), {} as Context);

  beforeAll(async () => {
    const { env } = await testStack({ RATE_LIMIT_PER_MINUTE: '3', ADMIN_API_KEY: ADMIN_KEY });
    Object.assign(process.env, env);
  });

  afterAll(async () => {
    await ((await createApp.mock.results[0]?.value) as INestApplication | undefined)?.close();
  });

  it('limits each source address on its own; X-Forwarded-For does not change the address', async () => {
    const first = [];
    for (let i = 0; i < 3; i++) first.push((await get('/symbols', '198.51.100.7', { 'x-forwarded-for': `192.0.2.${i}` })).statusCode);

    const refused = await get('/symbols', '198.51.100.7', { 'x-forwarded-for': '192.0.2.99' });
    const other = await get('/symbols', '198.51.100.8');
    const admin = await get('/symbols', '198.51.100.7', { 'x-api-key': ADMIN_KEY });

    expect(first).toEqual([200, 200, 200]);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(refused.body ?? '')).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(other.statusCode).toBe(200);
    expect(admin.statusCode).toBe(200);
  });
});

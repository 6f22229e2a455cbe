import { AppProcess } from '../../../test/support/app-process';
import { testStack } from '../../../test/support/test-stack';
import { TEST_ADMIN_API_KEY } from '../../../test/support/secrets';
import { securedIngestors, type Api } from './secured-ingestor';

const ADMIN_KEY = TEST_ADMIN_API_KEY;

/** The ingestor's HTTP hardening: rate limit, admin key, the built apps (headers, CORS, bodies: `http-headers.e2e-spec.ts`). */
describe('ingestor HTTP security', () => {
  const start = securedIngestors();

  describe('rate limit', () => {
    it('answers the request after RATE_LIMIT_PER_MINUTE with 429, Retry-After and the JSON error shape', async () => {
      const api = await start({ RATE_LIMIT_PER_MINUTE: '5' });

      // one budget per client over all routes
      const allowed = [];
      for (const path of ['/quotes/TCS', '/symbols', '/quotes', '/status', '/quotes/TCS/history']) allowed.push((await api().get(path)).status);
      const refused = await api().get('/quotes/TCS');

      expect(allowed).not.toContain(429);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(refused.body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: 'rate limit exceeded: at most 5 requests a minute per client; retry after the seconds in Retry-After',
      });
    });

    it('does not limit requests carrying the admin key, nor the probes', async () => {
      const api = await start({ RATE_LIMIT_PER_MINUTE: '2' });
      await api().get('/symbols').expect(200);
      await api().get('/symbols').expect(200);
      await api().get('/symbols').expect(429);

      const admin = await Promise.all(Array.from({ length: 10 }, () => api().get('/symbols').set('x-api-key', ADMIN_KEY)));
      const wrongKey = await api().get('/symbols').set('x-api-key', 'not-the-admin-key');
      const health = await Promise.all(Array.from({ length: 10 }, () => api().get('/health')));

      expect(admin.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(wrongKey.status).toBe(429);
      expect(health.map((r) => r.status)).toEqual(Array(10).fill(200));
    });

    it('counts each client behind a trusted proxy (TRUST_PROXY) on its own', async () => {
      const api = await start({ RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: 'loopback' });
      const from = (client: string) => api().get('/symbols').set('X-Forwarded-For', client);
      await from('198.51.100.1').expect(200);
      await from('198.51.100.1').expect(200);

      await from('198.51.100.1').expect(429);
      await from('198.51.100.2').expect(200);
    });

    it('ignores X-Forwarded-For unless TRUST_PROXY trusts the proxy, so a client cannot pick a fresh budget', async () => {
      const api = await start({ RATE_LIMIT_PER_MINUTE: '2' });
      await api().get('/symbols').set('X-Forwarded-For', '198.51.100.1').expect(200);
      await api().get('/symbols').set('X-Forwarded-For', '198.51.100.2').expect(200);

      await api().get('/symbols').set('X-Forwarded-For', '198.51.100.3').expect(429);
    });

    it('is off with RATE_LIMIT_PER_MINUTE=0', async () => {
      const api = await start({ RATE_LIMIT_PER_MINUTE: '0' });

      const answers = await Promise.all(Array.from({ length: 50 }, () => api().get('/symbols')));

      expect(answers.map((r) => r.status)).toEqual(Array(50).fill(200));
      expect(answers[0].headers).not.toHaveProperty('x-ratelimit-limit');
    });
  });

  describe('admin key', () => {
    let api: Api;

    beforeAll(async () => {
      api = await start({});
    });

    it.each([
      ['POST', '/ingest/trigger'],
      ['GET', '/admin/dlq'],
      ['POST', '/admin/dlq/redrive'],
    ])('%s %s: 401 without or with a wrong key, 200 with the key', async (method, path) => {
      const call = () => (method === 'GET' ? api().get(path) : api().post(path));

      const missing = await call();
      const wrong = await call().set('x-api-key', `${ADMIN_KEY}x`);
      const right = await call().set('x-api-key', ADMIN_KEY);

      expect([missing.status, wrong.status, right.status]).toEqual([401, 401, 200]);
      expect(wrong.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'a valid x-api-key header is required' });
    });
  });

  describe('the built apps as processes', () => {
    it('the ingestor refuses to start in production without ADMIN_API_KEY, naming the variable', async () => {
      const { env } = await testStack({ NODE_ENV: 'production' });

      const start = AppProcess.start('ingestor', env);

      await expect(start).rejects.toThrow(/exited before it was ready \(\{"code":1,"signal":null\}\)/);
      await expect(start).rejects.toThrow(/ingestor cannot start\. Invalid configuration:\s+- ADMIN_API_KEY: required when NODE_ENV=production/);
    });

    it('the processor sends helmet headers on its health endpoint', async () => {
      const { env } = await testStack();
      const processor = await AppProcess.start('processor', env);
      try {
        const res = await fetch(`http://127.0.0.1:${processor.port}/health`);

        expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.has('x-powered-by')).toBe(false);
      } finally {
        await processor.stop();
      }
    });
  });
});

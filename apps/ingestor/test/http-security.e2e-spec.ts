import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { AppProcess } from '../../../test/support/app-process';
import { testConfig, testStack } from '../../../test/support/test-stack';
import { TEST_ADMIN_API_KEY } from '../../../test/support/secrets';
import { startIngestor } from './ingestor-app';

const ADMIN_KEY = TEST_ADMIN_API_KEY;

/** The ingestor's HTTP hardening: rate limit, helmet headers, CORS, body limits, admin key. */
describe('ingestor HTTP security', () => {
  const apps: INestApplication[] = [];
  const start = async (env: Record<string, string>) => {
    const app = await startIngestor(await testConfig({ ADMIN_API_KEY: ADMIN_KEY, ...env }));
    apps.push(app);
    return () => request(app.getHttpServer());
  };

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

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

  describe('headers, CORS, bodies', () => {
    let api: () => ReturnType<typeof request>;
    let withCors: () => ReturnType<typeof request>;

    beforeAll(async () => {
      api = await start({});
      withCors = await start({ CORS_ORIGINS: 'https://desk.example.com,http://localhost:5173' });
    });

    it.each(['/', '/assets/app.js', '/docs', '/docs/openapi.json', '/quotes/NOPE', '/symbols', '/health'])('sends helmet headers on %s', async (path) => {
      const res = await api().get(path);

      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'strict-transport-security': expect.stringContaining('max-age='),
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
      });
      expect(res.headers).not.toHaveProperty('x-powered-by');
    });

    it('serves Swagger UI and its assets under that policy (scripts from its own origin only)', async () => {
      const page = await api().get('/docs').expect(200);
      const scripts = [...page.text.matchAll(/<script src=["']([^"']+)["']/g)].map((m) => m[1]);
      const styles = [...page.text.matchAll(/<link rel="stylesheet" type="text\/css" href=["']([^"']+)["']/g)].map((m) => m[1]);

      expect(page.text).not.toMatch(/<script>(?!\s*<\/script>)/); // no inline script for script-src 'self' to block
      expect(scripts.length).toBeGreaterThanOrEqual(3);
      for (const asset of [...scripts, ...styles]) {
        expect(asset).not.toMatch(/^https?:/);
        await api().get(new URL(asset, 'http://localhost/docs').pathname).expect(200);
      }
    });

    it('sends no CORS headers by default', async () => {
      const get = await api().get('/symbols').set('Origin', 'https://desk.example.com').expect(200);
      const preflight = await api()
        .options('/symbols')
        .set('Origin', 'https://desk.example.com')
        .set('Access-Control-Request-Method', 'GET');

      expect(get.headers).not.toHaveProperty('access-control-allow-origin');
      expect(preflight.headers).not.toHaveProperty('access-control-allow-origin');
      expect(preflight.headers).not.toHaveProperty('access-control-allow-methods');
    });

    it('allows exactly the origins in CORS_ORIGINS', async () => {
      const allowed = await withCors().get('/symbols').set('Origin', 'https://desk.example.com').expect(200);
      const other = await withCors().get('/symbols').set('Origin', 'https://evil.example.net').expect(200);
      const preflight = await withCors()
        .options('/ingest/trigger')
        .set('Origin', 'http://localhost:5173')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'x-api-key')
        .expect(204);

      expect(allowed.headers['access-control-allow-origin']).toBe('https://desk.example.com');
      expect(allowed.headers['access-control-expose-headers']).toContain('Retry-After');
      expect(other.headers).not.toHaveProperty('access-control-allow-origin');
      expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(preflight.headers['access-control-allow-methods']).toBe('GET,HEAD,POST');
      expect(preflight.headers['access-control-allow-headers']).toContain('x-api-key');
    });

    it('refuses a body over 16 kB with 413 and the JSON error shape, before authentication', async () => {
      const big = JSON.stringify({ padding: 'x'.repeat(17 * 1024) });

      const json = await api().post('/ingest/trigger').set('Content-Type', 'application/json').send(big).expect(413);
      const form = await api()
        .post('/ingest/trigger')
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send(`padding=${'x'.repeat(17 * 1024)}`)
        .expect(413);

      for (const res of [json, form]) {
        expect(res.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: 'request entity too large' });
      }
    });

    it('answers a malformed JSON body with 400 and the JSON error shape', async () => {
      const res = await api().post('/ingest/trigger').set('Content-Type', 'application/json').send('{"a":').expect(400);

      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
      expect(JSON.stringify(res.body)).not.toMatch(/SyntaxError|node_modules|\bat \S+:\d+/);
    });
  });

  describe('admin key', () => {
    let api: () => ReturnType<typeof request>;

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

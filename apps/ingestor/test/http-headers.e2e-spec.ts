import { securedIngestors, type Api } from './secured-ingestor';

/** The ingestor's HTTP hardening, continued: helmet headers, CORS, body limits and errors. */
describe('ingestor HTTP security', () => {
  const start = securedIngestors();

  describe('headers, CORS, bodies', () => {
    let api: Api;
    let withCors: Api;

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
});

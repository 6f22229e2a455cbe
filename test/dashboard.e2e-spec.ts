/// <reference lib="dom" />
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Quote, QuoteflowConfig } from '@app/common';
import type { INestApplication } from '@nestjs/common';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { listenOnFreePort, startIngestor } from '../apps/ingestor/test/ingestor-app';
import { startProcessor } from '../apps/processor/test/processor-app';
import { quoteFactory } from './support/factories';
import { FakeUpstream } from './support/fake-upstream';
import { upstreamFixture } from './support/fixtures';
import { seedQuotes } from './support/seed';
import { queueDrained, testConfig } from './support/test-stack';
import { TEST_RAPIDAPI_KEY } from './support/secrets';
import { describeWithTool, onPath } from './support/required-tool';

const CHROMIUM = onPath('chromium', 'chromium-browser');
const ARTIFACTS = resolve(__dirname, '../test-artifacts');
/** Tuesday 2026-11-24, 11:30 in Mumbai: Guru Nanak Jayanti, an NSE holiday. */
const NSE_HOLIDAY = new Date('2026-11-24T06:00:00.000Z');
/** A source name that would run script if the page inserted it as markup. */
const HOSTILE_SOURCE = '<img src=x id=injected onerror="document.title=1">';

/** Collects every Content-Security-Policy violation the page reports from now on (read it with {@link violations}). */
async function watchCsp(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}
const violations = (page: Page) => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

describeWithTool({ name: 'Chromium on PATH', available: CHROMIUM !== undefined, install: 'apt-get install chromium' }, 'dashboard in headless Chromium, after a pipeline run', () => {
  const upstream = new FakeUpstream();
  let config: QuoteflowConfig;
  let ingestor: INestApplication;
  let processor: INestApplication;
  let browser: Browser;
  let page: Page;
  let pageCsp: string | undefined;
  let port: number;
  const pageRequests: string[] = [];

  beforeAll(async () => {
    const stocks = upstreamFixture('latest-stock-price/any.sample.json');
    const coins = upstreamFixture('coingecko/markets.sample.json');
    await upstream.respond((path) => ({ body: path.startsWith('/coins/markets') ? coins : stocks })).start();
    config = await testConfig({
      MARKET_DATA_PROVIDER: 'demo,latest-stock-price,coingecko',
      RAPIDAPI_KEY: TEST_RAPIDAPI_KEY,
      RAPIDAPI_BASE_URL: upstream.url,
    });
    // "now" is an NSE holiday: the manual run below calls every provider all the same
    ingestor = await startIngestor(config, { clock: () => NSE_HOLIDAY });
    port = await listenOnFreePort(ingestor);
    processor = await startProcessor(config);

    // an hour (stored before the run, whose newer quote then becomes the latest) of earlier RELIANCE quotes, for candles worth drawing
    const hour = Array.from({ length: 60 }, (_, i) =>
      quoteFactory({
        price: 2930 + ((i * 7) % 23) + (i % 4) * 0.25,
        high: 2961.35,
        low: 2925.5,
        quoteTime: new Date(Date.parse('2024-09-16T09:29:00.000Z') + i * 60_000).toISOString(),
      }),
    );
    // an instrument whose stored fields hold markup: the page must show it as text
    const hostile = quoteFactory({ symbol: 'AAA', series: 'EQ', source: HOSTILE_SOURCE as Quote['source'], price: 12.5, quoteTime: '2024-09-16T10:00:00.000Z' });
    await seedQuotes(processor.get(DynamoDBDocumentClient), config, [...hour, hostile]);
    await request(ingestor.getHttpServer()).post('/ingest/trigger').expect(200);
    await queueDrained(processor.get(SQSClient), config);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await watchCsp(page);
    page.on('request', (req) => pageRequests.push(new URL(req.url()).pathname));
    pageCsp = (await page.goto(`http://127.0.0.1:${port}/`))?.headers()['content-security-policy'];
  });

  afterAll(async () => {
    await browser?.close();
    await processor?.close();
    await ingestor?.close();
    await upstream.stop();
  });

  it('lists the stored symbols with their exact prices', async () => {
    await page.waitForSelector('tr[data-key="RELIANCE|EQ"]');

    const price = (key: string) => page.locator(`tr[data-key="${key}"] td.price`).innerText();
    expect(await price('RELIANCE|EQ')).toBe('2945.35');
    expect(await price('NIFTY 50|')).toBe('25383.75');
    expect(await price('SUZLON|BE')).toBe('80.5');
    // a coin beside the stocks, with every digit of its tiny price
    expect(await price('PEPE-USD|pepe')).toBe('0.00001812');
    const symbols = (await request(ingestor.getHttpServer()).get('/symbols').expect(200)).body.items;
    expect(await page.locator('#watchlist tr').count()).toBe(symbols.length);
  });

  it('loads the watch list with its sparklines in one request, not one per row', async () => {
    await page.waitForSelector('tr[data-key="RELIANCE|EQ"] svg.spark');

    expect(pageRequests.filter((path) => path === '/dashboard/watchlist')).toHaveLength(1);
    expect(pageRequests.filter((path) => path.endsWith('/history'))).toEqual([]);
  });

  it('shows stored values as text, never as markup', async () => {
    await expect(page.locator('tr[data-key="AAA|EQ"] .source').innerText()).resolves.toBe(HOSTILE_SOURCE);
    expect(await page.locator('#injected').count()).toBe(0);
    // the page's one way to build markup escapes what it is given, in text and in attributes
    // (as source text: ts-jest would compile a dynamic import() into a require the page does not have)
    const built = await page.evaluate<string>(`import('/assets/html.js').then(({ html }) => html\`<td title="\${'" onclick="x'}">\${'<b>&'}</td>\`.text)`);
    expect(built).toBe('<td title="&quot; onclick=&quot;x">&lt;b&gt;&amp;</td>');
  });

  it('draws candles of the chosen symbol on the chart canvas', async () => {
    await page.click('tr[data-key="RELIANCE|EQ"]');
    await page.click('.intervals button[data-interval="5m"]');
    await page.waitForFunction(() => document.getElementById('chart-note')?.textContent?.startsWith('13 5m candles'));

    // pixels in the candle colours (#26a69a up, #ef5350 down) prove candles were painted
    const painted = await page.evaluate(() => {
      let count = 0;
      for (const canvas of Array.from(document.querySelectorAll<HTMLCanvasElement>('#chart canvas'))) {
        const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
        for (let i = 0; i < data.length; i += 4) {
          const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
          if ((Math.abs(r - 38) < 8 && Math.abs(g - 166) < 8 && Math.abs(b - 154) < 8) || (Math.abs(r - 239) < 8 && Math.abs(g - 83) < 8 && Math.abs(b - 80) < 8)) count++;
        }
      }
      return count;
    });
    expect(painted).toBeGreaterThan(200);
    await expect(page.locator('#chart-title').innerText()).resolves.toBe('RELIANCE EQ');
  });

  it('shows the pipeline health and the demo banner, and saves a screenshot', async () => {
    await page.waitForSelector('#health dt');

    const health = await page.locator('#health').innerText();
    expect(health).toMatch(/Last run/);
    expect(health).toMatch(/Rejected rows\s+2 — invalid_price 1, missing_day_range 1/);
    expect(health).toMatch(/Dead letters\s+0/);
    // each provider's market: the NSE feed closed for the holiday, with its name and the next opening; coins never close
    expect(health).toMatch(/latest-stock-price\s+NSE closed — holiday: Guru Nanak Jayanti \/ Prakash Gurpurb Sri Guru Nanak Dev · next open \S/);
    expect(health).toMatch(/coingecko\s+market always open/);
    expect(health).toMatch(/Coverage\s+\d+\.\d% of \d+ expected minutes \(last trading day\)/);
    expect(health).toMatch(/Quality\s+one provider per instrument: nothing to compare/);
    expect(health).toMatch(/Backfill\s+no pass yet/); // coingecko has a history endpoint; this suite runs no pass
    expect(await page.locator('#demo-banner').isVisible()).toBe(true);
    expect(await page.locator('#demo-banner').innerText()).toMatch(/DEMO DATA/);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: resolve(ARTIFACTS, 'dashboard.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: resolve(ARTIFACTS, 'dashboard-phone.png'), fullPage: true });
    expect(existsSync(resolve(ARTIFACTS, 'dashboard.png'))).toBe(true);
  });

  it('updates the row of a live quote in place and leaves the other rows alone', async () => {
    // remember each row's cells: a redrawn table would replace them all
    await page.evaluate(() => {
      const cells = new Map<string, Element>();
      for (const tr of Array.from(document.querySelectorAll<HTMLTableRowElement>('#watchlist tr'))) cells.set(tr.dataset.key ?? '', tr.cells[1]);
      (window as unknown as { __cells: Map<string, Element> }).__cells = cells;
    });

    await seedQuotes(processor.get(DynamoDBDocumentClient), config, [
      quoteFactory({ symbol: 'SUZLON', series: 'BE', price: 81.25, quoteTime: new Date(NSE_HOLIDAY.getTime() + 60_000).toISOString() }),
    ]);
    await page.waitForFunction(() => document.querySelector('tr[data-key="SUZLON|BE"] td.price')?.textContent === '81.25');

    const kept = await page.evaluate(() => {
      const cells = (window as unknown as { __cells: Map<string, Element> }).__cells;
      const rows = Array.from(document.querySelectorAll<HTMLTableRowElement>('#watchlist tr'));
      return { rows: rows.length, before: cells.size, same: rows.filter((tr) => cells.get(tr.dataset.key ?? '') === tr.cells[1]).map((tr) => tr.dataset.key) };
    });
    expect(kept.rows).toBe(kept.before);
    expect(kept.same).toHaveLength(kept.before - 1);
    expect(kept.same).not.toContain('SUZLON|BE');
  });

  it('runs all of the above under helmet\'s Content-Security-Policy without a single violation', async () => {
    expect(pageCsp).toContain("script-src 'self'");
    await expect(violations(page)).resolves.toEqual([]);
  });

  it('renders Swagger UI at /docs under the same policy', async () => {
    const docs = await browser.newPage();
    await watchCsp(docs);
    const res = await docs.goto(`http://127.0.0.1:${port}/docs`);
    await docs.waitForSelector('.opblock-summary-path');

    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect(docs.locator('.info .title').innerText()).resolves.toMatch(/quoteflow/);
    expect(await docs.locator('.opblock').count()).toBeGreaterThanOrEqual(10);
    await expect(violations(docs)).resolves.toEqual([]);
    await docs.close();
  });
});

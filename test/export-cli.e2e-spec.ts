import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { INestApplication } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { startIngestor } from '../apps/ingestor/test/ingestor-app';
import { quoteFactory } from './support/factories';
import { seedQuotes } from './support/seed';
import { testStack } from './support/test-stack';

const START = Date.parse('2024-09-16T03:45:00.000Z');
const DECIMALS = [2945.35, 0.00001812, 123456.789012, 1e-7];

/** `npm run export -- <args>` against the suite's table: exit code, stdout, stderr. */
function exportCli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'tools/export/export-cli.ts', ...args],
      { cwd: resolve(__dirname, '..'), env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1', ...env }, maxBuffer: 64 * 2 ** 20 },
      (err, stdout, stderr) => done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run export', () => {
  let env: Record<string, string>;
  let app: INestApplication;
  let dir: string;
  /** What the history route exports for one symbol, without its CSV header. */
  const routeExport = async (symbol: string, format: string) => {
    const res = await request(app.getHttpServer())
      .get(`/quotes/${encodeURIComponent(symbol)}/history?format=${format}&from=2024-09-16&to=2024-09-16`)
      .buffer(true)
      .parse((res, cb) => {
        let body = '';
        (res as unknown as NodeJS.ReadableStream).on('data', (chunk: Buffer) => (body += chunk.toString()));
        (res as unknown as NodeJS.ReadableStream).on('end', () => cb(null, body));
      })
      .expect(200);
    return format === 'csv' ? (res.body as string).slice((res.body as string).indexOf('\r\n') + 2) : (res.body as string);
  };

  beforeAll(async () => {
    const stack = await testStack();
    env = stack.env;
    app = await startIngestor(stack.config);
    dir = mkdtempSync(join(tmpdir(), 'quoteflow-export-'));
    await seedQuotes(app.get(DynamoDBDocumentClient), stack.config, [
      // more than one DynamoDB page, and a quote on the next day that the range leaves out
      ...Array.from({ length: 1_100 }, (_, i) => {
        const price = DECIMALS[i % DECIMALS.length];
        return quoteFactory({ price, high: price, low: price, quoteTime: new Date(START + i * 60_000).toISOString() });
      }),
      quoteFactory({ quoteTime: '2024-09-17T04:00:00.000Z' }),
      quoteFactory({ symbol: 'NIFTY 50', series: null, price: 25383.75, high: null, low: null }),
    ]);
  });

  afterAll(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the rows the history route exports, symbol after symbol, to a file', async () => {
    const out = join(dir, 'quotes.csv');
    const result = await exportCli(env, '--symbols', 'reliance,NIFTY 50', '--from', '2024-09-16', '--to', '2024-09-16', '--format', 'csv', '--out', out);

    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toMatch(/exported 1101 rows of RELIANCE, NIFTY 50 to .*quotes\.csv/);
    const csv = readFileSync(out, 'utf8');
    expect(csv).toBe(`symbol,series,price,high,low,quoteTime,insertedAt,source,origin,interval\r\n${await routeExport('RELIANCE', 'csv')}${await routeExport('NIFTY 50', 'csv')}`);
    expect(csv).toContain('\r\nRELIANCE,EQ,0.0000001,0.0000001,0.0000001,2024-09-16T22:04:00.000Z,');
    expect(csv).toContain('\r\n"NIFTY 50",,25383.75,,,');
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it('writes NDJSON to stdout without --out', async () => {
    const result = await exportCli(env, '--symbols', 'RELIANCE', '--from', '2024-09-16', '--to', '2024-09-16', '--format', 'ndjson');

    expect(result.code).toBe(0);
    expect(result.stdout).toBe(await routeExport('RELIANCE', 'ndjson'));
    expect(result.stdout.split('\n')).toHaveLength(1_101);
    expect(result.stdout).toContain('"price":123456.789012,');
  });

  it('refuses bad arguments with exit code 2, saying what is wrong', async () => {
    const result = await exportCli(env, '--symbols', 'RELIANCE', '--from', '2024-09-16', '--to', '2024-09-16', '--format', 'xml');

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--format must be one of csv, ndjson\nusage: npm run export/);
  });

  it('fails with exit code 1 and no file for a symbol with nothing stored', async () => {
    const out = join(dir, 'none.csv');
    const result = await exportCli(env, '--symbols', 'RELIANCE,NOPE', '--from', '2024-09-16', '--to', '2024-09-16', '--format', 'csv', '--out', out);

    expect(result).toMatchObject({ code: 1, stderr: expect.stringMatching(/no quote stored for NOPE/) });
    expect(existsSync(out) || existsSync(`${out}.partial`)).toBe(false);
  });
});

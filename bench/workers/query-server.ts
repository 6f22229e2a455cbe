/**
 * Baseline of the query API: a minimal `node:http` server answering `GET /quotes/:symbol` with the
 * symbol's latest quote, read with the raw SDK the way the ingestor's reader does (the registry's
 * series of the symbol, then the newest history item of each), no framework. It sends what the
 * ingestor sends: helmet's headers (the same `securityHeaders()`), an ETag of the stored record
 * (304 on If-None-Match), Cache-Control, an `x-request-id`, and the same body (with `ageSeconds`,
 * `stale`). With BENCH_CACHE_MS > 0 it keeps each symbol's read that long in the same single-flight
 * lru-cache the ingestor uses, so that the comparison is of the implementations, not of whether
 * one has a cache. Prints its port once listening.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, parseConfig, QuoteTable, securityHeaders, type StoredQuote } from '@app/common';
import { LRUCache } from 'lru-cache';
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { report } from '../support/worker';

const config = parseConfig(process.env);
const dynamo = createDocumentClient(config.aws);
const cacheMs = Number(process.env.BENCH_CACHE_MS ?? 0);
const helmet = securityHeaders() as unknown as (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

async function read(symbol: string): Promise<StoredQuote | null> {
  const { pk } = QuoteTable.instrumentKey(symbol, null);
  const { Items: instruments = [] } = await dynamo.send(
    new QueryCommand({ TableName: config.table.name, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)', ExpressionAttributeValues: { ':pk': pk, ':s': `${symbol}#` } }),
  );
  const latest = await Promise.all(
    instruments.map(async (i) => {
      const { Items = [] } = await dynamo.send(
        new QueryCommand({
          TableName: config.table.name,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': QuoteTable.historyPartition(String(i.symbol), (i.series as string | null) ?? null) },
          ScanIndexForward: false,
          Limit: 1,
        }),
      );
      return Items[0];
    }),
  );
  const found = latest.filter((item) => item !== undefined).map(QuoteTable.toStoredQuote);
  return found.find((q) => q.series === 'EQ' || q.series === null) ?? found[0] ?? null;
}

const cache = new LRUCache<string, { quote: StoredQuote | null }>({
  max: 5_000,
  ttl: Math.max(cacheMs, 1),
  allowStale: true,
  fetchMethod: async (symbol) => ({ quote: await read(symbol) }),
});

const server = createServer((req, res) => {
  helmet(req, res, () => {
    const match = /^\/quotes\/([^/?]+)$/.exec(req.url ?? '');
    if (!match) return void res.writeHead(404).end();
    res.setHeader('x-request-id', randomUUID());
    const symbol = decodeURIComponent(match[1]).toUpperCase();
    (cacheMs > 0 ? cache.fetch(symbol).then((hit) => hit?.quote ?? null) : read(symbol)).then(
      (quote) => {
        if (!quote) return void res.writeHead(404).end();
        const etag = `W/"${createHash('sha1').update(`${quote.symbol}|${quote.series}|${quote.quoteTime}|${quote.insertedAt}`).digest('base64url')}"`;
        res.setHeader('ETag', etag);
        res.setHeader('Cache-Control', `public, max-age=${cacheMs / 1000}`);
        if (req.headers['if-none-match'] === etag) return void res.writeHead(304).end();
        const ageSeconds = Math.max(0, Math.round((Date.now() - Date.parse(quote.quoteTime)) / 1000));
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ ...quote, ageSeconds, stale: false }));
      },
      () => void res.writeHead(500).end(),
    );
  });
});
server.listen(0, '127.0.0.1', () => report('ready', { port: (server.address() as AddressInfo).port }));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

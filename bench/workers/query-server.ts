/**
 * Baseline of the query API: a minimal `node:http` server answering `GET /quotes/:symbol` with the
 * symbol's latest item, read with the raw SDK (the same query the ingestor's reader makes), no
 * framework. With BENCH_CACHE_MS > 0 it keeps each symbol's answer that long, as the ingestor's
 * latest-quote cache does (no coalescing of concurrent misses there either), so that the
 * comparison is of the implementations, not of whether one has a cache. Prints its port once listening.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, parseConfig, QuoteTable } from '@app/common';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { report } from '../support/worker';

const config = parseConfig(process.env);
const dynamo = createDocumentClient(config.aws);
const cacheMs = Number(process.env.BENCH_CACHE_MS ?? 0);
const cache = new Map<string, { until: number; items: Record<string, unknown>[] }>();

async function latestItems(pk: string): Promise<Record<string, unknown>[]> {
  const hit = cache.get(pk);
  if (hit && hit.until > Date.now()) return hit.items;
  const { Items = [] } = await dynamo.send(new QueryCommand({ TableName: config.table.name, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }));
  if (cacheMs > 0) cache.set(pk, { until: Date.now() + cacheMs, items: Items });
  return Items;
}

const server = createServer((req, res) => {
  const match = /^\/quotes\/([^/?]+)$/.exec(req.url ?? '');
  if (!match) return void res.writeHead(404).end();
  const { pk } = QuoteTable.latestKey(decodeURIComponent(match[1]).toUpperCase(), null);
  latestItems(pk).then(
    (items) => {
      if (!items.length) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(QuoteTable.toStoredQuote(items[0])));
    },
    () => void res.writeHead(500).end(),
  );
});
server.listen(0, '127.0.0.1', () => report('ready', { port: (server.address() as AddressInfo).port }));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

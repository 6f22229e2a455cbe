/**
 * Baseline of the query API: a minimal `node:http` server answering `GET /quotes/:symbol` with the
 * symbol's latest item, read with the raw SDK on every request (the same query the ingestor's
 * reader makes), no framework, no cache. Prints its port once listening.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, parseConfig, QuoteTable } from '@app/common';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { report } from '../support/worker';

const config = parseConfig(process.env);
const dynamo = createDocumentClient(config.aws);

const server = createServer((req, res) => {
  const match = /^\/quotes\/([^/?]+)$/.exec(req.url ?? '');
  if (!match) return void res.writeHead(404).end();
  const { pk } = QuoteTable.latestKey(decodeURIComponent(match[1]).toUpperCase(), null);
  dynamo.send(new QueryCommand({ TableName: config.table.name, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } })).then(
    ({ Items = [] }) => {
      if (!Items.length) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(QuoteTable.toStoredQuote(Items[0])));
    },
    () => void res.writeHead(500).end(),
  );
});
server.listen(0, '127.0.0.1', () => report('ready', { port: (server.address() as AddressInfo).port }));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DYNAMODB_ERRORS, FaultProxy } from './fault-proxy';

describe('FaultProxy', () => {
  let target: Server;
  let seen: { headers: IncomingHttpHeaders; body: string }[];
  let proxy: FaultProxy;
  let targetHost: string;

  beforeEach(async () => {
    seen = [];
    target = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ Table: { TableName: 'quotes', TableStatus: 'ACTIVE' } }));
      });
    });
    await new Promise<void>((ready) => target.listen(0, '127.0.0.1', ready));
    targetHost = `127.0.0.1:${(target.address() as AddressInfo).port}`;
    proxy = await new FaultProxy(`http://${targetHost}`, DYNAMODB_ERRORS, 1).start();
  });

  afterEach(async () => {
    await proxy.stop();
    target.closeAllConnections();
    await new Promise((done) => target.close(done));
  });

  const client = () =>
    new DynamoDBClient({ region: 'us-east-1', endpoint: proxy.url, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });

  it('passes calls on with the target as Host, body intact', async () => {
    const answer = await client().send(new DescribeTableCommand({ TableName: 'quotes' }));

    expect(answer.Table?.TableStatus).toBe('ACTIVE');
    expect(seen).toHaveLength(1);
    expect(seen[0].headers.host).toBe(targetHost);
    expect(JSON.parse(seen[0].body)).toEqual({ TableName: 'quotes' });
  });

  it('answers throttling in the shape the AWS SDK reads as ProvisionedThroughputExceededException', async () => {
    proxy.set({ kind: 'throttle', share: 1 });

    await expect(client().send(new DescribeTableCommand({ TableName: 'quotes' }))).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(seen).toHaveLength(0);
    expect(proxy.faulted).toEqual({ throttle: 1 });
  });

  it('answers 500 as InternalServerError, and drops the connection in an outage', async () => {
    proxy.set({ kind: 'error500', share: 1 });
    await expect(client().send(new DescribeTableCommand({ TableName: 'quotes' }))).rejects.toMatchObject({ name: 'InternalServerError' });

    proxy.set({ kind: 'outage' });
    await expect(client().send(new DescribeTableCommand({ TableName: 'quotes' }))).rejects.toThrow();

    expect(seen).toHaveLength(0);
    expect(proxy.faulted).toEqual({ error500: 1, outage: 1 });
  });
});

import type { APIGatewayProxyEventV2, SQSEvent, SQSRecord } from 'aws-lambda';

/** One SQS record as the event source mapping hands it to a function. */
export const sqsRecordFactory = (body: string, overrides: Partial<SQSRecord> = {}): SQSRecord => ({
  messageId: overrides.messageId ?? `msg-${Math.random().toString(16).slice(2, 10)}`,
  receiptHandle: 'receipt-handle',
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: String(Date.now()),
    SenderId: 'AIDAEXAMPLE',
    ApproximateFirstReceiveTimestamp: String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:quotes',
  awsRegion: 'us-east-1',
  ...overrides,
});

export const sqsEventFactory = (records: SQSRecord[]): SQSEvent => ({ Records: records });

/** An API Gateway HTTP API (payload format 2.0) request, e.g. `httpApiEventFactory('GET', '/quotes/TCS?series=EQ')`. */
export function httpApiEventFactory(
  method: string,
  pathAndQuery: string,
  options: { headers?: Record<string, string>; body?: string; sourceIp?: string } = {},
): APIGatewayProxyEventV2 {
  const [rawPath, rawQueryString = ''] = pathAndQuery.split('?');
  const domainName = 'abc123.execute-api.us-east-1.amazonaws.com';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers: { host: domainName, accept: 'application/json', ...options.headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName,
      domainPrefix: 'abc123',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: options.sourceIp ?? '203.0.113.7', userAgent: 'quoteflow-tests' },
      requestId: `req-${Math.random().toString(16).slice(2, 10)}`,
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: options.body,
    isBase64Encoded: false,
  };
}

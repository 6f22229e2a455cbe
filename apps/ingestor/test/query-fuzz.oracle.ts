import type { QuoteflowConfig } from '@app/common';
import { Agent, get, type IncomingHttpHeaders } from 'node:http';

// ---- what every answer must be ----------------------------------------------------------------

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/** Closes the kept-alive connections of {@link send}. */
export function closeConnections(): void {
  agent.destroy();
}

/** One GET with the path exactly as given (no client-side normalisation); an event stream is cut after its headers. */
export function send(port: number, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent, headers: { Accept: 'application/json' }, timeout: 10_000 }, (res) => {
      if (String(res.headers['content-type']).startsWith('text/event-stream')) {
        res.destroy();
        return resolve({ status: res.statusCode!, headers: res.headers, body: '' });
      }
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within 10 s: GET ${path}`)));
    req.on('error', reject);
  });
}

/** Names that would tell an attacker how the service is built; never in an answer unless the request itself said them. */
const internalNames = (config: QuoteflowConfig) => [
  config.table.name,
  config.queue.name,
  config.queue.dlqName,
  'DynamoDB',
  'dynamodb',
  'SQS',
  'ExclusiveStartKey',
  'KeyConditionExpression',
  'ExpressionAttribute',
  'node_modules',
  '/work/',
  'ThrottlerException',
];
const CLASS_NAME = /\b[A-Z][A-Za-z]*(Error|Exception)\b/;
const STACK_FRAME = /\bat \S+ \(|\bat \S+:\d+:\d+|\.(ts|js):\d+/;

/** What is wrong with an answer, or null. */
export function problemWith(answer: Answer, path: string, config: QuoteflowConfig): string | null {
  const { status, headers, body } = answer;
  const type = String(headers['content-type'] ?? '');
  if (status >= 500) return `status ${status}`;
  if (status === 431 && body === '') return null; // Node's own limit on the request head (16 kB), before any app code
  if (status === 200 && path.startsWith('/quotes/stream')) return type.startsWith('text/event-stream') ? null : `stream answered ${type}`;
  if (!type.startsWith('application/json')) return `content-type ${type}`;
  let json: { statusCode?: unknown; error?: unknown; message?: unknown };
  try {
    json = JSON.parse(body);
  } catch {
    return 'body is not JSON';
  }
  if (status >= 400 && (json.statusCode !== status || typeof json.error !== 'string' || !(typeof json.message === 'string' || Array.isArray(json.message)))) {
    return 'error is not { statusCode, error, message }';
  }
  if (status >= 400 && STACK_FRAME.test(body)) return 'stack trace';
  const asked = safeDecode(path);
  const leaked = internalNames(config).find((name) => body.includes(name) && !asked.includes(name));
  if (leaked) return `internal name ${leaked}`;
  const className = status >= 400 ? CLASS_NAME.exec(body)?.[0] : undefined;
  if (className && !asked.includes(className)) return `class name ${className}`;
  return null;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream, LoggerOptions } from 'pino';
import pretty from 'pino-pretty';
import { secretValues, type QuoteflowConfig } from '../config/config';
import { logContext } from './log-context';

/** Header names whose values are credentials; their values never reach a log line. */
export const SECRET_HEADERS = ['x-rapidapi-key', 'x-api-key', 'authorization', 'cookie', 'proxy-authorization'];

const REDACTED = '[REDACTED]';

/** A caller's own request id is kept when it looks like one; anything else is replaced. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * pino options for one app: level and format from the configuration, the log context of
 * {@link withLogContext} on every line, credential headers of requests redacted by path, and every
 * configured secret value masked in the finished line wherever it appears, including inside
 * messages and error texts.
 */
export function loggerOptions(app: string, config: QuoteflowConfig): LoggerOptions {
  const secrets = secretValues(config).flatMap((value) => [value, JSON.stringify(value).slice(1, -1)]);
  // Node hands incoming headers over in lower case; every other place a credential could be
  // written (an error text, a message) is covered by masking the secret values themselves.
  // Few paths on purpose: redaction runs for every request (pino-http binds the request to a child logger).
  const headerPaths = SECRET_HEADERS.map((name) => `req.headers["${name}"]`);
  return {
    level: config.logging.level,
    base: { app },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
    mixin: logContext,
    redact: { paths: headerPaths, censor: REDACTED },
    hooks: secrets.length ? { streamWrite: (line) => maskAll(line, secrets) } : {},
  };
}

/** `nestjs-pino` parameters: the options above, HTTP request logging with request ids, and the destination. */
export function pinoParams(app: string, config: QuoteflowConfig, destination: DestinationStream = defaultDestination(config)): Params {
  return {
    pinoHttp: [
      {
        ...loggerOptions(app, config),
        genReqId: requestId,
        customAttributeKeys: { reqId: 'requestId' },
        // only the request id on the lines written while handling a request, not the whole request again
        quietReqLogger: true,
        // a client's mistake (4xx) is no operator's concern: info; successful requests only with
        // LOG_LEVEL=debug (the dashboard polls, probes scrape)
        customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
          err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
        // minimal serializers on the raw objects (wrapSerializers: false skips pino-std-serializers'
        // pass): the request's id, method, url and headers (redacted above); of a response, its status
        wrapSerializers: false,
        serializers: {
          req: (req: IncomingMessage & { id?: unknown }) => ({ id: req.id, method: req.method, url: req.url, headers: req.headers }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
        autoLogging: { ignore: (req: IncomingMessage) => /^\/(health|metrics)(\/|\?|$)/.test(req.url ?? '') },
      },
      destination,
    ],
  };
}

/**
 * Local runs get readable lines; production (and Lambda) one JSON object per line. Both write
 * through `process.stdout`, synchronously, so nothing is lost when a process exits or a Lambda
 * invocation ends.
 */
function defaultDestination(config: QuoteflowConfig): DestinationStream {
  if (config.logging.format === 'json') return process.stdout;
  return pretty({
    destination: process.stdout,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    singleLine: true,
    messageFormat: '{if context}[{context}] {end}{msg}',
    ignore: 'pid,hostname,app,context',
  });
}

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

function maskAll(line: string, secrets: string[]): string {
  let masked = line;
  for (const secret of secrets) if (masked.includes(secret)) masked = masked.split(secret).join(REDACTED);
  return masked;
}

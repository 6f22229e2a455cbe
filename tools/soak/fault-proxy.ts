import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import prand, { type RandomGenerator } from 'pure-rand';

/** What the proxy does to requests right now. `share`: the part of requests that get the fault (0..1). */
export type ProxyMode =
  | { kind: 'pass' }
  | { kind: 'throttle'; share: number }
  | { kind: 'error500'; share: number }
  | { kind: 'slow'; minMs: number; maxMs: number }
  | { kind: 'outage' };

/** The error body a service sends for a fault, in its own JSON error shape. */
export interface ServiceErrors {
  throttle: { status: number; type: string; message: string };
  error500: { status: number; type: string; message: string };
  contentType: string;
}

/** DynamoDB's JSON protocol errors (`__type` with the service prefix, as AWS answers them). */
export const DYNAMODB_ERRORS: ServiceErrors = {
  throttle: {
    status: 400,
    type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  },
  error500: { status: 500, type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' },
  contentType: 'application/x-amz-json-1.0',
};

/** SQS's JSON protocol errors. */
export const SQS_ERRORS: ServiceErrors = {
  throttle: { status: 400, type: 'com.amazonaws.sqs#RequestThrottled', message: 'Rate exceeded' },
  error500: { status: 500, type: 'com.amazonaws.sqs#InternalError', message: 'We encountered an internal error. Please try again.' },
  contentType: 'application/x-amz-json-1.0',
};

/**
 * An HTTP proxy in front of one AWS stand-in (`AWS_ENDPOINT_URL_* -> proxy -> emulator`) that
 * answers with the service's own throttling and 500 errors, delays answers or drops every
 * connection (an outage), as the fault injector sets it. Requests pass with the `Host` header of
 * the emulator, so fauxqs keeps answering queue URLs with its own port (it knows a queue only by
 * that URL); the apps' SDK clients have an explicit endpoint, so they send to the proxy whatever
 * host a queue URL names. Hand-written on node:http rather than a proxy library: it is a few lines,
 * and the faults need to sit between request and answer anyway.
 */
export class FaultProxy {
  /** Requests answered with a fault, by mode kind. */
  readonly faulted: Record<string, number> = {};
  requests = 0;
  private mode: ProxyMode = { kind: 'pass' };
  private server: Server | null = null;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly target: URL;
  private rng: RandomGenerator;
  url = '';

  constructor(
    target: string,
    private readonly errors: ServiceErrors,
    seed: number,
  ) {
    this.target = new URL(target);
    this.rng = prand.xoroshiro128plus(seed);
  }

  set(mode: ProxyMode): void {
    this.mode = mode;
  }

  get current(): ProxyMode {
    return this.mode;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 5_000;
    await new Promise<void>((ready) => this.server!.listen(0, '127.0.0.1', ready));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
    this.agent.destroy();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests++;
    const mode = this.mode;
    if (mode.kind === 'outage') {
      this.count('outage');
      req.socket.destroy();
      return;
    }
    if ((mode.kind === 'throttle' || mode.kind === 'error500') && this.draw() < mode.share) {
      this.count(mode.kind);
      // the body must be read before answering, or the client sees a reset instead of the error
      req.resume();
      await new Promise((done) => req.once('end', done));
      const { status, type, message } = this.errors[mode.kind];
      res.writeHead(status, { 'content-type': this.errors.contentType, 'x-amzn-requestid': `soak-${this.requests}` });
      res.end(JSON.stringify({ __type: type, message }));
      return;
    }
    if (mode.kind === 'slow') {
      this.count('slow');
      await new Promise((done) => setTimeout(done, mode.minMs + Math.floor(this.draw() * (mode.maxMs - mode.minMs))));
    }
    this.forward(req, res);
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const upstream = request(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: this.target.host },
        agent: this.agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.on('error', () => upstream.destroy());
    req.pipe(upstream);
  }

  private draw(): number {
    const [value, next] = prand.uniformIntDistribution(0, 999_999, this.rng);
    this.rng = next;
    return value / 1_000_000;
  }

  private count(kind: string): void {
    this.faulted[kind] = (this.faulted[kind] ?? 0) + 1;
  }
}

import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One call that went through a {@link CallCounter}, with both bodies (for inspectors). */
export interface Call {
  operation: string;
  status: number;
  request: Buffer;
  response: Buffer;
}

/** Tallies of one operation. */
export interface OperationTally {
  calls: number;
  /** Most calls of this operation that were in flight at once. */
  peakInFlight: number;
  /** Bytes of the request and the response bodies, summed over the calls. */
  requestBytes: number;
  responseBytes: number;
  /** Σ ⌈max(request, response) ÷ 64 KiB⌉: how SQS bills a call by its payload. */
  chunks64KiB: number;
}

/** Sees every call once it has been answered (e.g. to add up DynamoDB capacity from the items). */
export type Inspector = (call: Call) => void | Promise<void>;

const CHUNK = 64 * 1024;

/**
 * A pass-through HTTP proxy in front of an AWS JSON-protocol endpoint (the SQS or the DynamoDB
 * emulator) that counts the calls by operation, taken from `X-Amz-Target`
 * (`AmazonSQS.SendMessageBatch`, `DynamoDB_20120810.PutItem`): how many calls a process makes,
 * without touching it. Bytes and peak concurrency come for free; an {@link Inspector} gets the
 * whole bodies (the proxy then buffers them, which costs it CPU: use it for counting runs, not for
 * timed ones).
 */
export class CallCounter {
  private readonly tallies = new Map<string, OperationTally>();
  private readonly inFlight = new Map<string, number>();
  private readonly pending = new Set<Promise<void>>();
  private inspectError: Error | null = null;
  private server: Server | null = null;
  url = '';

  constructor(
    private readonly target: string,
    private readonly inspect?: Inspector,
  ) {}

  /** Calls of `operation` answered since the last {@link reset}. */
  count(operation: string): number {
    return this.tallies.get(operation)?.calls ?? 0;
  }

  tally(operation: string): OperationTally {
    return { ...(this.tallies.get(operation) ?? emptyTally()) };
  }

  /** Every operation seen since the last {@link reset}, with its tally. */
  snapshot(): Record<string, OperationTally> {
    return Object.fromEntries([...this.tallies].map(([op, t]) => [op, { ...t }]));
  }

  total(): number {
    return [...this.tallies.values()].reduce((sum, t) => sum + t.calls, 0);
  }

  reset(): void {
    this.tallies.clear();
  }

  /** Resolves once every answered call has been through the inspector; throws what the inspector threw. */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.all(this.pending);
    if (this.inspectError) throw this.inspectError;
  }

  async start(): Promise<this> {
    const target = new URL(this.target);
    this.server = createServer((req, res) => {
      const operation = String(req.headers['x-amz-target'] ?? '').replace(/^.*\./, '') || `${req.method} ${req.url}`;
      const flying = (this.inFlight.get(operation) ?? 0) + 1;
      this.inFlight.set(operation, flying);
      const started = this.tallyOf(operation);
      started.peakInFlight = Math.max(started.peakInFlight, flying);

      const requestChunks: Buffer[] = [];
      const responseChunks: Buffer[] = [];
      let requestBytes = 0;
      let responseBytes = 0;
      req.on('data', (chunk: Buffer) => {
        requestBytes += chunk.length;
        if (this.inspect) requestChunks.push(chunk);
      });
      const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.on('data', (chunk: Buffer) => {
          responseBytes += chunk.length;
          if (this.inspect) responseChunks.push(chunk);
        });
        answer.on('end', () => {
          this.inFlight.set(operation, (this.inFlight.get(operation) ?? 1) - 1);
          // counted once answered: a long poll that began before a reset and brings messages after it belongs to after
          const tally = this.tallyOf(operation);
          tally.calls++;
          tally.requestBytes += requestBytes;
          tally.responseBytes += responseBytes;
          tally.chunks64KiB += Math.max(1, Math.ceil(Math.max(requestBytes, responseBytes) / CHUNK));
          if (this.inspect) {
            const call = { operation, status: answer.statusCode ?? 0, request: Buffer.concat(requestChunks), response: decoded(Buffer.concat(responseChunks), answer.headers) };
            const inspected = Promise.resolve(this.inspect(call)).catch((err: unknown) => {
              this.inspectError ??= new Error(`call counter: inspecting ${operation} failed`, { cause: err });
            });
            const done = inspected.finally(() => this.pending.delete(done));
            this.pending.add(done);
          }
        });
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((ready) => this.server!.listen(0, '127.0.0.1', ready));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private tallyOf(operation: string): OperationTally {
    let tally = this.tallies.get(operation);
    if (!tally) this.tallies.set(operation, (tally = emptyTally()));
    return tally;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((closed) => (this.server ? this.server.close(() => closed()) : closed()));
  }
}

function emptyTally(): OperationTally {
  return { calls: 0, peakInFlight: 0, requestBytes: 0, responseBytes: 0, chunks64KiB: 0 };
}

function decoded(body: Buffer, headers: IncomingHttpHeaders): Buffer {
  return headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
}

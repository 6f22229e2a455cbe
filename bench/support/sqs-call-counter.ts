import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through HTTP proxy in front of the SQS emulator that counts the calls by action
 * (`X-Amz-Target: AmazonSQS.SendMessageBatch`): how many calls a process made, without touching it.
 */
export class SqsCallCounter {
  readonly calls = new Map<string, number>();
  private server: Server | null = null;
  url = '';

  constructor(private readonly target: string) {}

  count(action: string): number {
    return this.calls.get(action) ?? 0;
  }

  reset(): void {
    this.calls.clear();
  }

  async start(): Promise<this> {
    const target = new URL(this.target);
    this.server = createServer((req, res) => {
      const action = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');
      this.calls.set(action, this.count(action) + 1);
      const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((ready) => this.server!.listen(0, '127.0.0.1', ready));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((closed) => (this.server ? this.server.close(() => closed()) : closed()));
  }
}

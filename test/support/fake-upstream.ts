import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeAnswer {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Never answer: the caller's own timeout is what ends the call (the fake drops it when it stops). */
  hang?: boolean;
  /** Answer only once this settles: holds one path while the test watches what the others do. */
  hold?: Promise<unknown>;
  /** Send the gateway's `x-ratelimit-requests-*` headers (default true). */
  rateLimitHeaders?: boolean;
}

/** A stand-in for a RapidAPI upstream on 127.0.0.1: answers what the test sets, records what it was asked. */
export class FakeUpstream {
  readonly requests: { path: string; headers: IncomingHttpHeaders }[] = [];
  private answer: (path: string) => FakeAnswer = () => ({ status: 404, body: { message: 'no answer set' } });
  private server: Server | null = null;
  private readonly hanging = new Set<ServerResponse>();
  url = '';

  /** Same answer for every path. */
  respond(answer: FakeAnswer | ((path: string) => FakeAnswer)): this {
    this.answer = typeof answer === 'function' ? answer : () => answer;
    return this;
  }

  async start(): Promise<this> {
    // a failed `hold` ends that one connection (the client sees a reset) instead of an unhandled rejection
    this.server = createServer((req, res) => void this.answerRequest(req, res).catch((err: Error) => res.destroy(err)));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private async answerRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests.push({ path: req.url ?? '', headers: req.headers });
    const { status = 200, body, headers = {}, hang = false, rateLimitHeaders = true, hold } = this.answer(req.url ?? '');
    if (hang) {
      this.hanging.add(res);
      res.once('close', () => this.hanging.delete(res));
      return;
    }
    if (hold) await hold;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const quota = {
      'x-ratelimit-requests-limit': '500',
      'x-ratelimit-requests-remaining': String(500 - this.requests.length),
      'x-ratelimit-requests-reset': '86400',
    };
    res.writeHead(status, {
      'content-type': typeof body === 'string' ? 'text/html' : 'application/json',
      ...(rateLimitHeaders ? quota : {}),
      ...headers,
    });
    res.end(text);
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

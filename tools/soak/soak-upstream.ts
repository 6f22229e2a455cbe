import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PricePath, upstreamRow } from './price-path';

/** What the upstream does to requests right now. */
export type UpstreamMode =
  | { kind: 'serve' }
  /** RapidAPI's quota answer, with the gateway's reset header (seconds). */
  | { kind: 'quota'; resetSeconds: number }
  | { kind: 'error500' }
  /** A gateway's HTML error page with status 200, where JSON was expected. */
  | { kind: 'html' }
  /** Never answers: the ingestor's own timeout ends the call. */
  | { kind: 'timeout' };

/** One request the upstream answered (or, for a timeout, left hanging). */
export interface ServedRequest {
  /** Which ingestor process asked: its `X-RapidAPI-Key` (one per process, see the fleet). */
  client: string;
  /** When the answer was sent (epoch ms). */
  at: number;
  status: number | null;
  mode: UpstreamMode['kind'];
  /** The tick whose quotes a 200 JSON answer held. */
  tick: number | null;
}

const QUOTA = 1_000_000_000;

/**
 * The fake latest-stock-price upstream of the soak: `GET /any` answers every instrument's quote of
 * the current tick (one tick every `tickSeconds`, quote time = the tick's start) from a seeded
 * {@link PricePath}, and records every request it answered, so that the ledger knows exactly
 * which quotes were served, to which process and when.
 */
export class SoakUpstream {
  readonly requests: ServedRequest[] = [];
  readonly path: PricePath;
  private mode: UpstreamMode = { kind: 'serve' };
  private server: Server | null = null;
  private readonly hanging = new Set<ServerResponse>();
  private body: { tick: number; text: string } | null = null;
  url = '';

  constructor(
    seed: number,
    readonly instruments: number,
    readonly tickSeconds: number,
    now = Date.now(),
  ) {
    this.path = new PricePath(seed, instruments, this.tickAt(now));
  }

  /** The tick of an instant. */
  tickAt(epochMs: number): number {
    return Math.floor(epochMs / 1000 / this.tickSeconds);
  }

  /** The quote time of a tick (epoch ms). */
  tickTime(tick: number): number {
    return tick * this.tickSeconds * 1000;
  }

  set(mode: UpstreamMode): void {
    this.mode = mode;
  }

  get current(): UpstreamMode {
    return this.mode;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const client = String(req.headers['x-rapidapi-key'] ?? '');
      const mode = this.mode;
      const record = (status: number | null, tick: number | null) => this.requests.push({ client, at: Date.now(), status, mode: mode.kind, tick });
      req.resume();
      if (mode.kind === 'timeout') {
        this.hanging.add(res);
        res.once('close', () => this.hanging.delete(res));
        record(null, null);
        return;
      }
      const quota = (remaining: number, reset: number) => ({
        'x-ratelimit-requests-limit': String(QUOTA),
        'x-ratelimit-requests-remaining': String(remaining),
        'x-ratelimit-requests-reset': String(reset),
      });
      if (mode.kind === 'quota') {
        res.writeHead(429, { 'content-type': 'application/json', ...quota(0, mode.resetSeconds) });
        res.end(JSON.stringify({ message: 'You have exceeded the DAILY quota for Requests on your current plan, BASIC.' }));
        record(429, null);
        return;
      }
      if (mode.kind === 'error500') {
        res.writeHead(500, { 'content-type': 'application/json', ...quota(QUOTA - this.requests.length, 86_400) });
        res.end(JSON.stringify({ message: 'Internal Server Error' }));
        record(500, null);
        return;
      }
      if (mode.kind === 'html') {
        res.writeHead(200, { 'content-type': 'text/html', ...quota(QUOTA - this.requests.length, 86_400) });
        res.end('<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>');
        record(200, null);
        return;
      }
      const tick = this.tickAt(Date.now());
      res.writeHead(200, { 'content-type': 'application/json', ...quota(QUOTA - this.requests.length, 86_400) });
      res.end(this.answer(tick));
      record(200, tick);
    });
    await new Promise<void>((ready) => this.server!.listen(0, '127.0.0.1', ready));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }

  /** The JSON text of a tick's answer, built once per tick (both ingestors may ask within one). */
  private answer(tick: number): string {
    if (this.body?.tick !== tick) {
      const time = this.tickTime(tick);
      this.body = { tick, text: JSON.stringify(this.path.at(tick).map((q) => upstreamRow(q, time))) };
    }
    return this.body.text;
  }
}

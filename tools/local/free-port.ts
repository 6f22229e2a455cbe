import { createServer } from 'node:net';

/** A TCP port that was free on 127.0.0.1 a moment ago (the emulators, tests and the soak bind their servers to it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

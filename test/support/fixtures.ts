import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Upstream response samples in `test/fixtures/`. */
export function upstreamFixture(relativePath: string): unknown {
  return JSON.parse(readFileSync(resolve(__dirname, '../fixtures', relativePath), 'utf8'));
}

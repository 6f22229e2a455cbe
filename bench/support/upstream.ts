import { DateTime } from 'luxon';
import { FakeUpstream } from '../../test/support/fake-upstream';
import { upstreamFixture } from '../../test/support/fixtures';

/**
 * A local latest-stock-price upstream answering `symbols` rows; every call is one minute later
 * (NSE time), so that no run finds its quotes unchanged.
 */
export async function benchUpstream(symbols: number): Promise<FakeUpstream> {
  const template = (upstreamFixture('latest-stock-price/any.sample.json') as Record<string, unknown>[]).find((r) => r.symbol === 'RELIANCE')!;
  const open = DateTime.fromObject({ year: 2024, month: 9, day: 16, hour: 9, minute: 15 }, { zone: 'Asia/Kolkata' });
  let calls = 0;
  const upstream = new FakeUpstream().respond(() => {
    const lastUpdateTime = open.plus({ minutes: calls++ }).toFormat('dd-LLL-yyyy HH:mm:ss', { locale: 'en-US' });
    return { body: Array.from({ length: symbols }, (_, i) => ({ ...template, symbol: `SYM${i}`, identifier: `SYM${i}EQN`, lastUpdateTime })) };
  });
  return upstream.start();
}

/** The ingestor's environment for a latest-stock-price run against `upstream`. */
export function upstreamEnv(upstream: FakeUpstream): Record<string, string> {
  return { MARKET_DATA_PROVIDER: 'latest-stock-price', RAPIDAPI_KEY: 'bench-key', RAPIDAPI_BASE_URL: upstream.url };
}

import type { ProviderName } from '@app/common';
import type { MarketDataProvider } from '../market-data/market-data-provider';
import type { ChainOutcome, Failover, ProviderRun, SkippedProvider } from './run-summary';

/**
 * The chains a run serves: the configured ones (`config.ingest.chains`) over the providers there
 * are, and any provider no chain names as a chain of its own, so that no provider is ever left out.
 */
export function chainsOver(configured: ProviderName[][], providers: ProviderName[]): ProviderName[][] {
  const chains = configured.map((chain) => chain.filter((name) => providers.includes(name))).filter((chain) => chain.length > 0);
  const named = new Set(chains.flat());
  return [...chains, ...providers.filter((name) => !named.has(name)).map((name) => [name])];
}

/**
 * Why a provider's part of a run hands its chain to the next provider, `null` when it served. It
 * served when it had at least one valid quote (published or unchanged): a provider that stopped
 * part-way keeps its chain, the run is `partial`; one that threw, failed as a whole, or answered
 * nothing usable hands over.
 */
export function missOf(run: ProviderRun): Pick<Failover, 'cause' | 'reason'> | null {
  if (run.fresh + run.unchanged > 0) return null;
  if (run.upstreamError) return { cause: run.upstreamError.failure, reason: run.upstreamError.message };
  return { cause: 'no_quotes', reason: `${run.provider}: answered without a valid quote` };
}

/** One chain's part of a run: what it reports, the provider runs it made, and the providers it did not need. */
export interface ChainRun {
  outcome: ChainOutcome;
  runs: ProviderRun[];
  standby: SkippedProvider[];
}

/**
 * Serves one chain in a run: its callable providers in order until one serves ({@link missOf});
 * a provider the selection skipped for a pause (quota, rejected key) hands over to the next
 * callable one like a failed one, a closed market does not (the chain's providers share it). The
 * order starts afresh every run, so the first provider takes over again as soon as it answers.
 */
export async function serveChain(
  order: ProviderName[],
  selected: { callable: MarketDataProvider[]; skipped: SkippedProvider[] },
  call: (provider: MarketDataProvider) => Promise<ProviderRun>,
): Promise<ChainRun> {
  const runs: ProviderRun[] = [];
  const failedOver: Failover[] = [];
  const standby: SkippedProvider[] = [];
  let handing: Omit<Failover, 'to'>[] = [];
  let servedBy: ProviderName | null = null;
  for (const name of order) {
    const provider = selected.callable.find((p) => p.name === name);
    if (servedBy) {
      if (provider) standby.push({ provider: name, cause: 'standby', reason: `standby: ${servedBy} served its chain` });
      continue;
    }
    if (!provider) {
      const skip = selected.skipped.find((s) => s.provider === name);
      if (skip && skip.cause !== 'market_closed') handing.push({ from: name, cause: skip.cause === 'quota' ? 'quota' : 'stopped', reason: skip.reason });
      continue;
    }
    failedOver.push(...handing.map((h) => ({ ...h, to: name })));
    handing = [];
    const run = await call(provider);
    runs.push(run);
    const miss = missOf(run);
    if (miss) handing.push({ from: name, ...miss });
    else servedBy = name;
  }
  return { outcome: { chain: order.join('>'), order, servedBy, failedOver }, runs, standby };
}

import { exchangeOfProvider } from '../calendar/calendars';
import { PROVIDER_NAMES, type ProviderName } from '../quote/quote';

/**
 * The instruments a provider quotes, for checking failover chains: the exchange whose calendar its
 * quotes follow (so yahoo-finance and alpha-vantage share `NYSE`), or the provider itself when its
 * quotes follow no exchange (coingecko's coins, the demo's fictional symbols): such a provider has
 * no stand-in.
 */
export function instrumentClassOf(provider: ProviderName): string {
  return exchangeOfProvider(provider) ?? provider;
}

/**
 * Reads a `MARKET_DATA_PROVIDER` value: comma-separated items, each called on every run, and
 * within an item `>` between the providers of an ordered failover chain, e.g.
 * `yahoo-finance>alpha-vantage,coingecko` → `[['yahoo-finance', 'alpha-vantage'], ['coingecko']]`.
 * Returns the problems in words instead when a name is unknown, a provider is named twice (it
 * could not belong to two chains) or a chain mixes instrument classes ({@link instrumentClassOf}).
 */
export function parseProviderChains(text: string): { chains: ProviderName[][] } | { problems: string[] } {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  const problems: string[] = [];
  const seen = new Set<string>();
  const chains = items.map((item) =>
    item.split('>').map((part) => {
      const name = part.trim();
      if (!isProviderName(name)) problems.push(name ? `"${name}" is not a provider` : `"${item}" has an empty step`);
      else if (seen.has(name)) problems.push(`${name} is named twice`);
      seen.add(name);
      return name as ProviderName;
    }),
  );
  if (problems.length) return { problems: [`must be one or more of ${PROVIDER_NAMES.join(', ')}, comma-separated, with > between the providers of a failover chain: ${problems.join('; ')}`] };
  if (!chains.length) return { problems: ['must name at least one provider'] };
  for (const chain of chains) {
    const classes = new Set(chain.map(instrumentClassOf));
    if (classes.size > 1) {
      const each = chain.map((p) => `${p}: ${instrumentClassOf(p)}`).join(', ');
      problems.push(`failover chain "${chain.join('>')}" mixes instrument classes (${each}); the providers of a chain must quote the same instruments`);
    }
  }
  return problems.length ? { problems } : { chains };
}

function isProviderName(name: string): name is ProviderName {
  return (PROVIDER_NAMES as readonly string[]).includes(name);
}

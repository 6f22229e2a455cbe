import { ConfigError } from '../errors';
import { parseConfig } from './quoteflow-config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('MARKET_DATA_PROVIDER failover chains', () => {
  it('reads ">" inside a comma item as an ordered chain, and keeps the flat provider list', () => {
    const config = parseConfig({ MARKET_DATA_PROVIDER: ' yahoo-finance > alpha-vantage , coingecko' });

    expect(config.ingest.chains).toEqual([['yahoo-finance', 'alpha-vantage'], ['coingecko']]);
    expect(config.ingest.providers).toEqual(['yahoo-finance', 'alpha-vantage', 'coingecko']);
  });

  it('keeps a plain comma list as chains of one, each called every run', () => {
    const config = parseConfig({ MARKET_DATA_PROVIDER: 'latest-stock-price,coingecko' });

    expect(config.ingest.chains).toEqual([['latest-stock-price'], ['coingecko']]);
  });

  it('makes the default provider a chain of one', () => {
    expect(parseConfig({}).ingest.chains).toEqual([['demo']]);
    expect(parseConfig({ RAPIDAPI_KEY: 'k' }).ingest.chains).toEqual([['latest-stock-price']]);
  });

  it.each([
    ['an unknown name in a chain', 'yahoo-finance>bloomberg', /^MARKET_DATA_PROVIDER: must be one or more of .*: "bloomberg" is not a provider$/],
    ['an empty step', 'yahoo-finance>', /^MARKET_DATA_PROVIDER: must be one or more of .*: "yahoo-finance>" has an empty step$/],
    ['a provider twice in one chain', 'yahoo-finance>alpha-vantage>yahoo-finance', /: yahoo-finance is named twice$/],
    ['a provider in two items', 'yahoo-finance>alpha-vantage,alpha-vantage', /: alpha-vantage is named twice$/],
    ['a plain item twice', 'coingecko,coingecko', /: coingecko is named twice$/],
  ])('refuses %s, naming the variable', (_, value, message) => {
    const problems = problemsOf({ MARKET_DATA_PROVIDER: value });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it.each([
    ['coins with US stocks', 'coingecko>yahoo-finance', 'coingecko: coingecko, yahoo-finance: NYSE'],
    ['NSE stocks with US stocks', 'alpha-vantage>latest-stock-price', 'alpha-vantage: NYSE, latest-stock-price: NSE'],
    ['demo data with coins', 'demo>coingecko', 'demo: demo, coingecko: coingecko'],
  ])('refuses a chain that mixes instrument classes: %s', (_, value, classes) => {
    expect(problemsOf({ MARKET_DATA_PROVIDER: value })).toEqual([
      `MARKET_DATA_PROVIDER: failover chain "${value}" mixes instrument classes (${classes}); the providers of a chain must quote the same instruments`,
    ]);
  });

  it('accepts either order of the two US stock providers', () => {
    expect(parseConfig({ MARKET_DATA_PROVIDER: 'alpha-vantage>yahoo-finance' }).ingest.chains).toEqual([['alpha-vantage', 'yahoo-finance']]);
  });
});

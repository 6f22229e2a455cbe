import type { ProviderName } from '../quote/quote';
import { CalendarDataError, EXCHANGE_IDS, parseCalendarData, type ExchangeId } from './calendar-data';
import nse from './data/nse.json';
import nyse from './data/nyse.json';
import { ExchangeCalendar } from './exchange-calendar';

// imported rather than read from disk so the Lambda bundles carry them too
const DATA_FILES: Record<ExchangeId, { file: string; contents: unknown }> = {
  NSE: { file: 'libs/common/src/calendar/data/nse.json', contents: nse },
  NYSE: { file: 'libs/common/src/calendar/data/nyse.json', contents: nyse },
};

/** The exchange whose calendar each provider's quotes follow; `null` = always open (crypto, demo data). */
export const PROVIDER_EXCHANGES: Readonly<Record<ProviderName, ExchangeId | null>> = {
  'latest-stock-price': 'NSE',
  'alpha-vantage': 'NYSE',
  'yahoo-finance': 'NYSE',
  coingecko: null,
  demo: null,
};

/** The exchange whose calendar a provider's quotes follow, `null` when its market never closes. */
export function exchangeOfProvider(provider: ProviderName): ExchangeId | null {
  return PROVIDER_EXCHANGES[provider];
}

/** Validates one data file's contents as the calendar of `exchange` (tests hand in their own). */
export function loadExchangeCalendar(exchange: ExchangeId, contents: unknown, file: string): ExchangeCalendar {
  const data = parseCalendarData(contents, file);
  if (data.exchange !== exchange) throw new CalendarDataError(file, [`exchange: is "${data.exchange}", expected "${exchange}"`]);
  return new ExchangeCalendar(data);
}

let loaded: ReadonlyMap<ExchangeId, ExchangeCalendar> | undefined;

/**
 * Every exchange calendar of the repository, validated once and kept. Call it at start-up to fail
 * fast: a bad data file throws a {@link CalendarDataError} naming the file and field.
 */
export function exchangeCalendars(): ReadonlyMap<ExchangeId, ExchangeCalendar> {
  loaded ??= new Map(EXCHANGE_IDS.map((id) => [id, loadExchangeCalendar(id, DATA_FILES[id].contents, DATA_FILES[id].file)]));
  return loaded;
}

/** The calendar of one exchange (see {@link exchangeCalendars}). */
export function exchangeCalendar(exchange: ExchangeId): ExchangeCalendar {
  return exchangeCalendars().get(exchange)!;
}

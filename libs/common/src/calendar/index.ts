export { CalendarDataError, EXCHANGE_IDS, parseCalendarData, type ExchangeCalendarData, type ExchangeId } from './calendar-data';
export { tradingMinutes, type TradingDay, type TradingSession } from './trading-day';
export {
  ALWAYS_OPEN,
  describeMarketState,
  type MarketState,
  type MarketStateBasis,
  type MarketStateReason,
} from './market-state';
export { ExchangeCalendar } from './exchange-calendar';
export { exchangeCalendar, exchangeCalendars, exchangeOfProvider, loadExchangeCalendar, PROVIDER_EXCHANGES } from './calendars';
export {
  describeSchedule,
  marketStateAt,
  resolveMarketSchedule,
  scheduleZone,
  tradingSessionsOn,
  type MarketSchedule,
} from './market-schedule';

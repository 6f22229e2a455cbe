import { DateTime, IANAZone } from 'luxon';

/** A weekly trading window in an exchange's own time zone (holidays are not modelled). */
export interface MarketHours {
  /** ISO weekdays the market opens: 1 = Monday … 7 = Sunday. */
  days: number[];
  /** Minutes after local midnight. */
  open: number;
  close: number;
  zone: string;
  /** The text it was parsed from, for messages. */
  text: string;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * Parses `Mon-Fri 09:15-15:30 Asia/Kolkata` (days as a range or a comma list, 24 h local times,
 * an IANA zone). Returns an error text instead when it cannot.
 */
export function parseMarketHours(text: string): MarketHours | string {
  const match = /^([A-Za-z,-]+)\s+(\d{2}):(\d{2})-(\d{2}):(\d{2})\s+(\S+)$/.exec(text.trim());
  if (!match) return 'must look like "Mon-Fri 09:15-15:30 Asia/Kolkata", or be "auto" or "always"';
  const [, dayText, oh, om, ch, cm, zone] = match;
  const days = parseDays(dayText.toLowerCase());
  if (!days) return `"${dayText}" is not a day range such as Mon-Fri or Mon,Wed`;
  const open = Number(oh) * 60 + Number(om);
  const close = Number(ch) * 60 + Number(cm);
  if (Number(oh) > 23 || Number(ch) > 24 || Number(om) > 59 || Number(cm) > 59 || close <= open) {
    return 'opening time must be before closing time, both as HH:MM';
  }
  if (!IANAZone.isValidZone(zone)) return `"${zone}" is not an IANA time zone`;
  return { days, open, close, zone, text: text.trim() };
}

function parseDays(text: string): number[] | null {
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const [from, to = from] = part.split('-');
    const a = WEEKDAYS.indexOf(from);
    const b = WEEKDAYS.indexOf(to);
    if (a < 0 || b < 0 || b < a) return null;
    for (let d = a; d <= b; d++) days.add(d + 1);
  }
  return [...days];
}

/** Whether the market is open at `instant`, in the market's own zone. */
export function isMarketOpen(hours: MarketHours, instant: Date): boolean {
  const local = DateTime.fromJSDate(instant, { zone: hours.zone });
  const minute = local.hour * 60 + local.minute;
  return hours.days.includes(local.weekday) && minute >= hours.open && minute < hours.close;
}

import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { QuoteflowError } from '../errors';

/** Exchanges with a calendar data file under `libs/common/src/calendar/data/`. */
export const EXCHANGE_IDS = ['NSE', 'NYSE'] as const;
export type ExchangeId = (typeof EXCHANGE_IDS)[number];

/** A calendar data file is malformed; the message names the file and every field at fault. */
export class CalendarDataError extends QuoteflowError {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid exchange calendar ${file}:\n  - ${problems.join('\n  - ')}`);
  }
}

const localDate = z.iso.date({ message: 'must be a date written YYYY-MM-DD' });
const localTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time written HH:MM (24 h)');
const year = z.number().int().min(1990).max(2200);

const calendarDataSchema = z
  .object({
    exchange: z.enum(EXCHANGE_IDS),
    name: z.string().min(1),
    zone: z.string().refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone'),
    regularHours: z.object({
      /** ISO weekdays the exchange trades on: 1 = Monday … 7 = Sunday. */
      weekdays: z.array(z.number().int().min(1).max(7)).min(1),
      open: localTime,
      close: localTime,
    }),
    /** Raised on every edit of the file, so `/status` can say which data it decides with. */
    version: z.number().int().positive(),
    /** The calendar years whose holidays the file lists completely; other years fall back to weekdays. */
    years: z.object({ from: year, to: year }),
    source: z.object({
      title: z.string().min(1),
      url: z.url({ protocol: /^https?$/ }),
      retrieved: localDate,
      notes: z.array(z.string()).default([]),
    }),
    holidays: z.array(z.object({ date: localDate, name: z.string().min(1) })),
    /** Sessions that replace the regular one on their date (early closes, Diwali Muhurat trading). */
    specialSessions: z.array(z.object({ date: localDate, open: localTime, close: localTime, name: z.string().min(1) })),
  })
  .strict()
  .superRefine((data, ctx) => {
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const inYears = (date: string) => {
      const parsed = DateTime.fromISO(date);
      // a malformed date has its own message already
      return !parsed.isValid || (parsed.year >= data.years.from && parsed.year <= data.years.to);
    };
    if (data.years.from > data.years.to) problem(['years'], 'from must not be after to');
    if (data.regularHours.open >= data.regularHours.close) problem(['regularHours'], 'open must be before close');
    const seen = new Set<string>();
    data.holidays.forEach(({ date }, i) => {
      if (seen.has(date)) problem(['holidays', i, 'date'], `${date} is listed twice`);
      seen.add(date);
      if (!inYears(date)) problem(['holidays', i, 'date'], `${date} is outside years ${data.years.from}-${data.years.to}`);
    });
    data.specialSessions.forEach((s, i) => {
      if (s.open >= s.close) problem(['specialSessions', i], 'open must be before close');
      if (!inYears(s.date)) problem(['specialSessions', i, 'date'], `${s.date} is outside years ${data.years.from}-${data.years.to}`);
      const overlap = data.specialSessions.some((o, j) => j !== i && o.date === s.date && o.open < s.close && s.open < o.close);
      if (overlap) problem(['specialSessions', i], `overlaps another session on ${s.date}`);
    });
  });

/** The contents of one exchange calendar data file, validated. */
export type ExchangeCalendarData = z.output<typeof calendarDataSchema>;

/**
 * Validates the parsed contents of a calendar data file. Throws a {@link CalendarDataError} naming
 * `file` and each bad field (e.g. `holidays.3.date: must be a date written YYYY-MM-DD`).
 */
export function parseCalendarData(raw: unknown, file: string): ExchangeCalendarData {
  const result = calendarDataSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new CalendarDataError(
    file,
    result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(file)'}: ${issue.message}`),
  );
}

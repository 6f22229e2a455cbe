import { SERIES_PATTERN } from '@app/common';
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional, IntersectionType, OmitType, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { normaliseSymbol } from '@app/common';
import { CANDLE_INTERVALS, type CandleInterval } from './candles';
import { EXPORT_FORMATS } from './quote-export';

export const SERIES_MESSAGE = 'series must be 1-64 letters, digits, . _ or -';
export const ISO_MESSAGE = (name: string) => `${name} must be an ISO-8601 date or date-time, e.g. 2024-09-16 or 2024-09-16T10:29:47Z`;

/** Items per page of a JSON listing. */
export const DEFAULT_PAGE_SIZE = 100;

const Limit = () =>
  applyDecorators(
    IsOptional(),
    Type(() => Number),
    IsInt({ message: 'limit must be an integer' }),
    Min(1, { message: 'limit must be between 1 and 500' }),
    Max(500, { message: 'limit must be between 1 and 500' }),
  );

export class PageQuery {
  @ApiPropertyOptional({ description: 'Items per page (1-500).', default: DEFAULT_PAGE_SIZE, example: 50 })
  @Limit()
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({ description: 'Opaque `nextCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: 'cursor is not valid for this listing' })
  cursor?: string;
}

/**
 * `symbols=A,B` (or `symbols=A&symbols=B`) as a list of normalised symbols; an invalid one is
 * kept marked for the validator to refuse.
 */
const symbolList = ({ value }: { value: unknown }) =>
  [value]
    .flat()
    .flatMap((part) => (typeof part === 'string' ? part.split(',') : ['!']))
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => normaliseSymbol(s) ?? `!${s}`);

/** An optional `symbols=A,B` parameter (or a JSON array of symbols) of at most `max` valid symbols. */
export const SymbolList = (max: number) =>
  applyDecorators(
    IsOptional(),
    Transform(symbolList),
    ArrayMaxSize(max, { message: `symbols may name at most ${max} symbols` }),
    Matches(/^[^!]/, { each: true, message: 'symbols must be comma-separated symbols of letters, digits, space and . & _ = ^ -' }),
  );

export class ListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Comma-separated symbols: their latest quotes in one call (up to 50).', example: 'RELIANCE,TCS,NIFTY 50' })
  @SymbolList(50)
  symbols?: string[];
}

export class StreamQuery {
  @ApiPropertyOptional({ description: 'Comma-separated symbols to follow; all when omitted.', example: 'ACME,HOOLI' })
  @SymbolList(200)
  symbols?: string[];
}


/** An instrument and a time range: shared by history and candles. */
export class RangeQuery {
  @ApiPropertyOptional({ description: 'Series (e.g. NSE `EQ`, `BE`; a CoinGecko coin id). Default: the regular one.', example: 'EQ' })
  @IsOptional()
  @Matches(SERIES_PATTERN, { message: SERIES_MESSAGE })
  series?: string;

  @ApiPropertyOptional({ description: 'Earliest quote time (a date means its start, UTC).', example: '2024-09-16' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: ISO_MESSAGE('from') })
  from?: string;

  @ApiPropertyOptional({ description: 'Latest quote time (a date means its end, UTC).', example: '2024-09-16T10:29:47Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: ISO_MESSAGE('to') })
  to?: string;
}

export class SeriesQuery extends PickType(RangeQuery, ['series'] as const) {}

/** The history's answer: JSON pages, or the whole range streamed as CSV or NDJSON. */
export const HISTORY_FORMATS = ['json', ...EXPORT_FORMATS] as const;
export type HistoryFormat = (typeof HISTORY_FORMATS)[number];

// `limit` without a default: an export without one is the whole range
export class HistoryQuery extends IntersectionType(OmitType(PageQuery, ['limit'] as const), RangeQuery) {
  @ApiPropertyOptional({
    description: `Items per page (1-500), default ${DEFAULT_PAGE_SIZE}. CSV and NDJSON: at most this many rows; without it, every quote in from..to.`,
    example: 50,
  })
  @Limit()
  limit?: number;

  @ApiPropertyOptional({
    enum: HISTORY_FORMATS,
    description: 'Answer format; overrides `Accept` (`text/csv`, `application/x-ndjson`, else JSON).',
    example: 'csv',
  })
  @IsOptional()
  @IsIn(HISTORY_FORMATS, { message: `format must be one of ${HISTORY_FORMATS.join(', ')}` })
  format?: HistoryFormat;
}

export class CandlesQuery extends RangeQuery {
  @ApiPropertyOptional({ enum: CANDLE_INTERVALS, default: '1m', description: 'Default range: the 120 intervals up to the latest quote.' })
  @IsOptional()
  @IsIn(CANDLE_INTERVALS, { message: `interval must be one of ${CANDLE_INTERVALS.join(', ')}` })
  interval: CandleInterval = '1m';
}

import { SERIES_PATTERN } from '@app/common';
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { normaliseSymbol } from '@app/common';
import { CANDLE_INTERVALS, type CandleInterval } from './candles';

const SERIES_MESSAGE = 'series must be 1-64 letters, digits, . _ or -';
const ISO_MESSAGE = (name: string) => `${name} must be an ISO-8601 date or date-time, e.g. 2024-09-16 or 2024-09-16T10:29:47Z`;

export class PageQuery {
  @ApiPropertyOptional({ description: 'Items per page (1-500).', default: 100, example: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be between 1 and 500' })
  @Max(500, { message: 'limit must be between 1 and 500' })
  limit: number = 100;

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

/** An optional `symbols=A,B` parameter of at most `max` valid symbols. */
const SymbolList = (max: number) =>
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

export class HistoryQuery extends IntersectionType(PageQuery, RangeQuery) {}

export class CandlesQuery extends RangeQuery {
  @ApiPropertyOptional({ enum: CANDLE_INTERVALS, default: '1m', description: 'Default range: the 120 intervals up to the latest quote.' })
  @IsOptional()
  @IsIn(CANDLE_INTERVALS, { message: `interval must be one of ${CANDLE_INTERVALS.join(', ')}` })
  interval: CandleInterval = '1m';
}

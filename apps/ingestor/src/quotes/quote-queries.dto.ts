import { SERIES_PATTERN } from '@app/common';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class PageQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be between 1 and 500' })
  @Max(500, { message: 'limit must be between 1 and 500' })
  limit: number = 100;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;
}

export class SeriesQuery {
  @IsOptional()
  @Matches(SERIES_PATTERN, { message: 'series must be 1-64 letters, digits, . _ or -' })
  series?: string;
}

export class HistoryQuery extends PageQuery {
  @IsOptional()
  @Matches(SERIES_PATTERN, { message: 'series must be 1-64 letters, digits, . _ or -' })
  series?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO-8601 date or date-time' })
  from?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO-8601 date or date-time' })
  to?: string;
}

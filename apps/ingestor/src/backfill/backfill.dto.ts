import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { ISO_MESSAGE, SymbolList } from '../quotes/quote-queries.dto';

/** Symbols one request may name. */
export const BACKFILL_MAX_SYMBOLS = 100;

/** `POST /admin/backfill` and `npm run backfill`: which instruments, over which range. */
export class BackfillBody {
  @ApiPropertyOptional({ description: `Symbols to fill (an array or a comma-separated string, up to ${BACKFILL_MAX_SYMBOLS}); every stored instrument when omitted.`, example: ['MSFT', 'AAPL'] })
  @SymbolList(BACKFILL_MAX_SYMBOLS)
  symbols?: string[];

  @ApiProperty({ description: 'Start of the range (a date means its start, UTC). Only its gaps are fetched, and only as far back as the endpoint serves.', example: '2026-11-30' })
  @IsISO8601({ strict: true }, { message: ISO_MESSAGE('from') })
  from!: string;

  @ApiPropertyOptional({ description: 'End of the range (exclusive; a date means its end, UTC). Default: now.', example: '2026-12-01T21:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: ISO_MESSAGE('to') })
  to?: string;
}

import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { HistoryQuery, PageQuery, SeriesQuery } from './quote-queries.dto';
import { InvalidCursorError } from './quote-reader';
import { QuotesService, toInstant } from './quotes.service';
import { SymbolPipe } from './symbol.pipe';

@Controller('quotes')
export class QuotesController {
  constructor(private readonly quotes: QuotesService) {}

  @Get()
  list(@Query() query: PageQuery) {
    return this.quotes.listLatest(query).catch(badCursor);
  }

  @Get(':symbol')
  async latest(@Param('symbol', SymbolPipe) symbol: string, @Query() query: SeriesQuery) {
    return (await this.quotes.latest(symbol, query.series)) ?? notFound(symbol);
  }

  @Get(':symbol/history')
  async history(@Param('symbol', SymbolPipe) symbol: string, @Query() query: HistoryQuery) {
    if (query.from && query.to && toInstant(query.from, 'start') > toInstant(query.to, 'end')) throw new BadRequestException('from must not be after to');
    return (await this.quotes.history(symbol, query).catch(badCursor)) ?? notFound(symbol);
  }
}

function notFound(symbol: string): never {
  throw new NotFoundException(`no quote stored for ${symbol}`);
}

function badCursor(err: unknown): never {
  throw err instanceof InvalidCursorError ? new BadRequestException(err.message) : err;
}

import { BadRequestException, Controller, Get, NotFoundException, Param, Query, Res, Sse } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { createHash } from 'node:crypto';
import { CandlesQuery, HistoryQuery, ListQuery, SeriesQuery, StreamQuery } from './quote-queries.dto';
import { InvalidCursorError } from './quote-reader';
import { QuoteStream } from './quote-stream';
import { LATEST_CACHE_MS, QueryRangeError, QuotesService, toInstant, type LatestQuote } from './quotes.service';
import { SymbolPipe } from './symbol.pipe';
import { CANDLES_EXAMPLE, HISTORY_EXAMPLE, LATEST_EXAMPLE } from './quotes.examples';

const SYMBOL_PARAM = { name: 'symbol', description: 'Case-insensitive; URL-encode spaces (`NIFTY%2050`).', example: 'RELIANCE' };

@ApiTags('quotes')
@Controller('quotes')
export class QuotesController {
  constructor(
    private readonly quotes: QuotesService,
    private readonly stream: QuoteStream,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Latest quote of several symbols (`symbols=A,B`), or of every stored instrument, paginated' })
  @ApiOkResponse({ schema: { example: { items: [LATEST_EXAMPLE], nextCursor: null } } })
  async list(@Query() query: ListQuery) {
    if (query.symbols) return { items: await this.quotes.latestOf(query.symbols), nextCursor: null };
    return this.quotes.listLatest(query).catch(badRequest);
  }

  @Sse('stream')
  @ApiOperation({ summary: 'Server-sent events: `event: quote` with each newly stored quote of the given symbols' })
  live(@Query() query: StreamQuery) {
    return this.stream.events(query.symbols ?? []);
  }

  @Get(':symbol')
  @ApiOperation({ summary: 'Latest stored quote; `stale` when older than the schedule explains. Supports If-None-Match.' })
  @ApiParam(SYMBOL_PARAM)
  @ApiOkResponse({ schema: { example: LATEST_EXAMPLE } })
  @ApiNotFoundResponse({ schema: { example: { statusCode: 404, error: 'Not Found', message: 'no quote stored for NOPE' } } })
  @ApiBadRequestResponse({ description: 'Malformed symbol or series' })
  async latest(
    @Param('symbol', SymbolPipe) symbol: string,
    @Query() query: SeriesQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LatestQuote> {
    const quote = (await this.quotes.latest(symbol, query.series)) ?? notFound(symbol);
    // the stored record decides the tag: a poller gets 304 until a newer quote is stored
    const tag = createHash('sha1').update(`${quote.symbol}|${quote.series}|${quote.quoteTime}|${quote.insertedAt}`).digest('base64url');
    res.setHeader('ETag', `W/"${tag}"`);
    res.setHeader('Cache-Control', `public, max-age=${LATEST_CACHE_MS / 1000}`);
    return quote;
  }

  @Get(':symbol/history')
  @ApiOperation({ summary: 'Stored quotes, newest first, with an opaque cursor' })
  @ApiParam(SYMBOL_PARAM)
  @ApiOkResponse({ schema: { example: HISTORY_EXAMPLE } })
  async history(@Param('symbol', SymbolPipe) symbol: string, @Query() query: HistoryQuery) {
    checkRange(query);
    return (await this.quotes.history(symbol, query).catch(badRequest)) ?? notFound(symbol);
  }

  @Get(':symbol/candles')
  @ApiOperation({ summary: 'OHLC candles with counts from the stored history; daily candles follow the exchange time zone' })
  @ApiParam(SYMBOL_PARAM)
  @ApiOkResponse({ schema: { example: CANDLES_EXAMPLE } })
  async candles(@Param('symbol', SymbolPipe) symbol: string, @Query() query: CandlesQuery) {
    checkRange(query);
    return (await this.quotes.candles(symbol, query).catch(badRequest)) ?? notFound(symbol);
  }
}

function checkRange(query: { from?: string; to?: string }): void {
  if (query.from && query.to && toInstant(query.from, 'start') > toInstant(query.to, 'end')) {
    throw new BadRequestException('from must not be after to');
  }
}

function notFound(symbol: string): never {
  throw new NotFoundException(`no quote stored for ${symbol}`);
}

function badRequest(err: unknown): never {
  throw err instanceof InvalidCursorError || err instanceof QueryRangeError ? new BadRequestException(err.message) : err;
}

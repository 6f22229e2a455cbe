import { BadRequestException, Controller, Get, NotFoundException, Param, Query, Req, Res, Sse, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { SERIES_PATTERN, type StoredQuote } from '@app/common';
import { exportChunks, EXPORT_MEDIA_TYPES, firstPageRead, type ExportFormat } from './quote-export';
import { CandlesQuery, DEFAULT_PAGE_SIZE, HistoryQuery, ListQuery, SERIES_MESSAGE, StreamQuery, type HistoryFormat } from './quote-queries.dto';
import { InvalidCursorError } from './cursor';
import { QuoteStream } from './quote-stream';
import { LATEST_CACHE_MS, QueryRangeError, QuotesService, toInstant } from './quotes.service';
import { SymbolPipe } from './symbol.pipe';
import { CANDLES_EXAMPLE, HISTORY_CONTENT, LATEST_EXAMPLE } from './quotes.examples';

const LATEST_CACHE_CONTROL = `public, max-age=${LATEST_CACHE_MS / 1000}`;

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
  @ApiQuery({ name: 'series', required: false, description: 'Series (e.g. NSE `EQ`, `BE`; a CoinGecko coin id). Default: the regular one.', example: 'EQ' })
  @ApiOkResponse({ schema: { example: LATEST_EXAMPLE } })
  @ApiNotFoundResponse({ schema: { example: { statusCode: 404, error: 'Not Found', message: 'no quote stored for NOPE' } } })
  @ApiBadRequestResponse({ description: 'Malformed symbol or series' })
  async latest(@Param('symbol', SymbolPipe) symbol: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    // the hot route: its one parameter checked by hand instead of a class-validator pass, the body
    // and ETag made once per stored record (QuotesService.latestAnswer), sent as they are
    const answer = (await this.quotes.latestAnswer(symbol, seriesParam(req.query))) ?? notFound(symbol);
    res.setHeader('ETag', answer.etag);
    res.setHeader('Cache-Control', LATEST_CACHE_CONTROL);
    res.type('application/json').send(answer.body);
  }

  @Get(':symbol/history')
  @ApiOperation({
    summary: 'Stored quotes, newest first: JSON pages with an opaque cursor, or the whole range as CSV / NDJSON',
    description:
      'JSON by default. `Accept: text/csv` or `?format=csv`: a header row, then one RFC 4180 record per quote; ' +
      '`Accept: application/x-ndjson` or `?format=ndjson`: one JSON history item per line. Exports stream page by page, ' +
      'same order and from/to as the JSON pages, every quote in the range unless `limit` is given; numbers are the stored ' +
      'decimals digit for digit, times ISO-8601 UTC, a missing series/high/low an empty CSV field (`null` in NDJSON).',
  })
  @ApiParam(SYMBOL_PARAM)
  @ApiProduces('application/json', ...Object.values(EXPORT_MEDIA_TYPES))
  @ApiOkResponse({ content: HISTORY_CONTENT })
  @ApiBadRequestResponse({ description: 'Malformed symbol, range, limit, cursor or format' })
  async history(
    @Param('symbol', SymbolPipe) symbol: string,
    @Query() query: HistoryQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    checkRange(query);
    res.vary('Accept');
    const format = query.format ?? negotiate(req);
    if (format === 'json') {
      return (await this.quotes.history(symbol, { ...query, limit: query.limit ?? DEFAULT_PAGE_SIZE }).catch(badRequest)) ?? notFound(symbol);
    }
    return exportFile(symbol, format, (await this.quotes.historyPages(symbol, query)) ?? notFound(symbol));
  }

  @Get(':symbol/candles')
  @ApiOperation({
    summary: 'OHLC candles with counts from the stored history; daily candles follow the exchange time zone',
    description:
      'open/close: the first/last stored price of the interval. A quote’s high/low are the day’s range so far, so only `1d` ' +
      'candles use them as they are. An intraday candle’s high/low are the prices stored in the interval, plus a day high ' +
      '(low) that rose (fell) since the previous stored quote of the same trading day: it was reached between the two ' +
      'quotes and counts for the later quote’s interval. An unchanged day high says nothing about the interval, and the ' +
      'day high/low carried by the first stored quote of a day were reached at an unknown earlier time, so they appear ' +
      'only in the `1d` candle.',
  })
  @ApiParam(SYMBOL_PARAM)
  @ApiOkResponse({ schema: { example: CANDLES_EXAMPLE } })
  async candles(@Param('symbol', SymbolPipe) symbol: string, @Query() query: CandlesQuery) {
    checkRange(query);
    return (await this.quotes.candles(symbol, query).catch(badRequest)) ?? notFound(symbol);
  }
}

/** The export as a stream Nest pipes to the response (backpressure, client going away, HEAD). */
async function exportFile(symbol: string, format: ExportFormat, pages: AsyncGenerator<StoredQuote[]>): Promise<StreamableFile> {
  const body = Readable.from(exportChunks(format, await firstPageRead(pages).catch(badRequest)), { objectMode: false });
  return new StreamableFile(body, {
    type: `${EXPORT_MEDIA_TYPES[format]}; charset=utf-8`,
    disposition: `attachment; filename="${symbol.replace(/[^A-Z0-9._-]/g, '_')}.${format}"`,
  });
}

/** `Accept` decides when `format` is absent; JSON when it names none of the three (as before exports existed). */
function negotiate(req: Request): HistoryFormat {
  const type = req.accepts(['application/json', EXPORT_MEDIA_TYPES.csv, EXPORT_MEDIA_TYPES.ndjson]);
  return type === EXPORT_MEDIA_TYPES.csv ? 'csv' : type === EXPORT_MEDIA_TYPES.ndjson ? 'ndjson' : 'json';
}

/** `?series=` of the latest route, as the global ValidationPipe would check `SeriesQuery` (same messages). */
function seriesParam(query: Request['query']): string | undefined {
  for (const name of Object.keys(query)) if (name !== 'series') throw new BadRequestException([`property ${name} should not exist`]);
  const { series } = query;
  if (series === undefined) return undefined;
  if (typeof series !== 'string' || !SERIES_PATTERN.test(series)) throw new BadRequestException([SERIES_MESSAGE]);
  return series;
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

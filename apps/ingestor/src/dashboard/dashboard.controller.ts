import { Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { QuotesService } from '../quotes/quotes.service';

/** Where the page's own files are: copied next to the compiled code by `npm run build`. */
const PUBLIC_DIR = join(__dirname, 'public');

/** The files the page may load: its own, and the chart library straight from node_modules (no CDN). */
const ASSETS: Record<string, { path: () => string; type: string }> = {
  'app.js': { path: () => join(PUBLIC_DIR, 'app.js'), type: 'text/javascript' },
  'html.js': { path: () => join(PUBLIC_DIR, 'html.js'), type: 'text/javascript' },
  'status-text.js': { path: () => join(PUBLIC_DIR, 'status-text.js'), type: 'text/javascript' },
  'style.css': { path: () => join(PUBLIC_DIR, 'style.css'), type: 'text/css' },
  'lightweight-charts.js': {
    // the build copies it beside the page; from source it comes from node_modules (the package
    // exports only its ES module, the standalone build sits beside its package.json)
    path: () =>
      existsSync(join(PUBLIC_DIR, 'lightweight-charts.js'))
        ? join(PUBLIC_DIR, 'lightweight-charts.js')
        : join(dirname(require.resolve('lightweight-charts/package.json')), 'dist/lightweight-charts.standalone.production.js'),
    type: 'text/javascript',
  },
};

/** Histories read from the table at once for one watch-list answer. */
const PARALLEL_HISTORIES = 8;

export class WatchlistQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be between 1 and 100' })
  @Max(100, { message: 'limit must be between 1 and 100' })
  limit = 40;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'prices must be an integer' })
  @Min(1, { message: 'prices must be between 1 and 200' })
  @Max(200, { message: 'prices must be between 1 and 200' })
  prices = 60;
}

/** `GET /`: the live dashboard, a static page that reads the public API. */
@ApiExcludeController()
@Controller()
export class DashboardController {
  constructor(private readonly quotes: QuotesService) {}

  @Get()
  page(@Res() res: Response): void {
    res.type('html').sendFile(join(PUBLIC_DIR, 'index.html'));
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    const asset = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!asset) throw new NotFoundException(`no asset ${file}`);
    res.type(asset.type).setHeader('Cache-Control', 'public, max-age=300');
    res.sendFile(asset.path());
  }

  /**
   * The watch list in one answer: the first `limit` instruments, each with its last `prices`
   * prices oldest first (the page's sparklines), instead of one history request per row.
   */
  @Get('dashboard/watchlist')
  async watchlist(@Query() query: WatchlistQuery) {
    const instruments = (await this.quotes.symbols()).slice(0, query.limit);
    const items = [];
    for (let next = 0; next < instruments.length; next += PARALLEL_HISTORIES) {
      const slice = instruments.slice(next, next + PARALLEL_HISTORIES);
      items.push(
        ...(await Promise.all(
          slice.map(async (instrument) => {
            const page = await this.quotes.history(instrument.symbol, { series: instrument.series ?? undefined, limit: query.prices });
            return { ...instrument, prices: (page?.items ?? []).map((q) => q.price).reverse() };
          }),
        )),
      );
    }
    return { items };
  }
}

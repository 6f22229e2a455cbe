import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the page's own files are: copied next to the compiled code by `npm run build`. */
const PUBLIC_DIR = join(__dirname, 'public');

/** The files the page may load: its own, and the chart library straight from node_modules (no CDN). */
const ASSETS: Record<string, { path: () => string; type: string }> = {
  'app.js': { path: () => join(PUBLIC_DIR, 'app.js'), type: 'text/javascript' },
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

/** `GET /`: the live dashboard, a static page that reads the public API. */
@ApiExcludeController()
@Controller()
export class DashboardController {
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
}

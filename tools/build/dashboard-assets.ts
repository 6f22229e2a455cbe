/**
 * Last step of `npm run build`: puts the dashboard's static files, with the chart library's
 * standalone build, beside each compiled ingestor (container `dist/apps/...` and the Lambda
 * bundle), so neither needs the source tree or node_modules to serve `GET /`.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const source = resolve(root, 'apps/ingestor/src/dashboard/public');
const chartLibrary = resolve(dirname(require.resolve('lightweight-charts/package.json')), 'dist/lightweight-charts.standalone.production.js');
const targets = ['dist/apps/ingestor/src/dashboard/public', 'dist/lambda/ingestor/public'];

for (const target of targets.map((t) => resolve(root, t))) {
  if (!existsSync(dirname(target))) continue; // that build output does not exist
  mkdirSync(target, { recursive: true });
  cpSync(source, target, { recursive: true });
  copyFileSync(chartLibrary, resolve(target, 'lightweight-charts.js'));
}

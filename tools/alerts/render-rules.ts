/**
 * `npx tsx tools/alerts/render-rules.ts [--set staleFeedSeconds=300 ... --out file]`: writes the Prometheus rules
 * of the alert catalogue, by default the shipped file with the shipped thresholds.
 */
import { DEFAULT_ALERT_THRESHOLDS, type AlertThresholds } from '@app/common/observability/alerts';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderPrometheusRules } from './prometheus-rules';

/** Where the shipped rules live. */
export const SHIPPED_RULES = resolve(__dirname, '../../deploy/prometheus/rules/quoteflow.rules.yml');

/** `key=value` overrides of the default thresholds; throws naming a key or value it cannot take. */
export function thresholdsFrom(sets: string[]): AlertThresholds {
  const t: AlertThresholds = { ...DEFAULT_ALERT_THRESHOLDS };
  for (const set of sets) {
    const [key, value] = set.split('=');
    if (!(key in t)) throw new Error(`--set ${key}: not a threshold (${Object.keys(t).join(', ')})`);
    const n = Number(value);
    if (value === undefined || value.trim() === '' || !Number.isFinite(n) || n < 0) throw new Error(`--set ${key}: "${value}" is not a number >= 0`);
    t[key as keyof AlertThresholds] = n;
  }
  return t;
}

if (require.main === module) {
  const { values } = parseArgs({ options: { set: { type: 'string', multiple: true, default: [] }, out: { type: 'string', default: SHIPPED_RULES } } });
  const out = resolve(values.out);
  writeFileSync(out, renderPrometheusRules(thresholdsFrom(values.set)));
  console.log(`wrote ${out}`);
}

/**
 * The value of one series in a Prometheus text page: the sum of every sample of `name` whose labels
 * include `labels`; `undefined` when there is none.
 */
export function metricValue(page: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let total: number | undefined;
  for (const line of page.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const sample = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v]));
    if (Object.entries(labels).every(([k, v]) => sample[k] === v)) total = (total ?? 0) + Number(match[3]);
  }
  return total;
}

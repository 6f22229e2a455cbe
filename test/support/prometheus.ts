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

/** The `/metrics` page of an app listening on `port` of 127.0.0.1 (an app run as its own process). */
export async function scrapeMetrics(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
  return res.text();
}

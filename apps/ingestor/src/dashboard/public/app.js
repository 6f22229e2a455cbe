// quoteflow dashboard: plain JavaScript modules over the public HTTP API, no build step.
import { html, join } from './html.js';
import { backfillText, coverageText, marketText, qualityText } from './status-text.js';

const state = { selected: null, interval: '1m', rows: new Map(), chart: null, candles: null };
const $ = (id) => document.getElementById(id);
const keyOf = (q) => `${q.symbol}|${q.series ?? ''}`;
const qs = (params) => new URLSearchParams(Object.entries(params).filter(([, v]) => v != null && v !== '')).toString();

async function getJson(url) {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

/** Decimal places a number was written with, exponent notation included (1.812e-5 → 8). */
function decimalsOf(n) {
  const [mantissa, exponent] = String(n).split('e');
  const places = (mantissa.split('.')[1] || '').length - Number(exponent || 0);
  return Math.max(0, places);
}

/** A price with exactly the digits it has: never rounded to cents, never in exponent notation. */
function formatPrice(n) {
  return n == null ? '—' : Number(n).toFixed(Math.min(20, decimalsOf(n)));
}

function formatChange(now, then) {
  if (now == null || then == null || then === 0) return { text: '—', cls: '' };
  const pct = ((now - then) / then) * 100;
  return { text: `${pct >= 0 ? '+' : ''}${pct.toFixed(2)}%`, cls: pct > 0 ? 'up' : pct < 0 ? 'down' : '' };
}

function sparkline(prices) {
  if (prices.length < 2) return '';
  const min = Math.min(...prices), max = Math.max(...prices), span = max - min || 1;
  const points = prices.map((p, i) => `${((i / (prices.length - 1)) * 88 + 1).toFixed(1)},${(22 - ((p - min) / span) * 20).toFixed(1)}`);
  const colour = prices[prices.length - 1] >= prices[0] ? 'var(--up)' : 'var(--down)';
  return html`<svg class="spark" viewBox="0 0 90 24" aria-hidden="true"><polyline fill="none" stroke="${colour}" stroke-width="1.5" points="${points.join(' ')}"/></svg>`;
}

// ---- watch list -------------------------------------------------------------------------------

/** How many instruments the watch list shows, and how many recent prices each sparkline draws. */
const WATCHLIST = { symbols: 40, prices: 60 };

async function loadWatchlist() {
  // one request: the first instruments with their recent prices (oldest first)
  const { items } = await getJson(`/dashboard/watchlist?${qs({ limit: WATCHLIST.symbols, prices: WATCHLIST.prices })}`);
  for (const item of items) {
    const key = keyOf(item);
    // a live quote may have arrived while this request was under way: it is newer than the list's
    if (!state.rows.has(key)) state.rows.set(key, { symbol: item.symbol, series: item.series, source: item.source, prices: item.prices, price: item.lastPrice });
  }
  const body = $('watchlist');
  if (state.rows.size) body.replaceChildren();
  for (const key of state.rows.keys()) renderRow(key);
  if (!state.selected && state.rows.size) select([...state.rows.values()][0]);
}

/** Draws one watch-list row in place (appending it when new): a live quote repaints its own row only. */
function renderRow(key) {
  const row = state.rows.get(key);
  const body = $('watchlist');
  let tr = [...body.rows].find((r) => r.dataset.key === key);
  if (!tr) {
    if (!body.querySelector('tr[data-key]')) body.replaceChildren();
    tr = document.createElement('tr');
    tr.dataset.key = key;
    tr.addEventListener('click', () => select(state.rows.get(key)));
    body.appendChild(tr);
  }
  const change = formatChange(row.price, row.prices[0]);
  tr.classList.toggle('selected', Boolean(state.selected && keyOf(state.selected) === key));
  tr.innerHTML = String(
    html`<td>${row.symbol}${row.series && html`<span class="series" title="${row.series}">${row.series}</span>`}` +
      html`<span class="source">${row.source}</span></td>` +
      html`<td class="num price">${formatPrice(row.price)}</td>` +
      html`<td class="num ${change.cls}">${change.text}</td>` +
      html`<td>${sparkline(row.prices)}</td>`,
  );
  return tr;
}

// ---- chart ------------------------------------------------------------------------------------

function ensureChart() {
  if (state.chart) return;
  const chart = LightweightCharts.createChart($('chart'), {
    autoSize: true,
    layout: { background: { color: 'transparent' }, textColor: '#8b96a3' },
    grid: { vertLines: { color: '#1f2730' }, horzLines: { color: '#1f2730' } },
    timeScale: { timeVisible: true, secondsVisible: false },
  });
  state.candles = chart.addSeries(LightweightCharts.CandlestickSeries, {
    upColor: '#26a69a', downColor: '#ef5350', borderVisible: false, wickUpColor: '#26a69a', wickDownColor: '#ef5350',
  });
  state.chart = chart;
}

async function loadCandles() {
  if (!state.selected) return;
  ensureChart();
  const { symbol, series } = state.selected;
  const data = await getJson(`/quotes/${encodeURIComponent(symbol)}/candles?${qs({ series, interval: state.interval })}`);
  const digits = Math.max(2, ...data.candles.flatMap((c) => [c.open, c.high, c.low, c.close].map(decimalsOf)));
  state.candles.applyOptions({ priceFormat: { type: 'price', precision: Math.min(digits, 12), minMove: 10 ** -Math.min(digits, 12) } });
  state.candles.setData(data.candles.map((c) => ({ time: Date.parse(c.time) / 1000, open: c.open, high: c.high, low: c.low, close: c.close })));
  state.chart.timeScale().fitContent();
  $('chart-title').textContent = `${symbol}${series ? ` ${series}` : ''}`;
  $('chart-note').textContent =
    `${data.candles.length} ${data.interval} candles from ${data.candles.reduce((n, c) => n + c.count, 0)} stored quotes · ${data.source} · days in ${data.timeZone}`;
}

function select(row) {
  state.selected = row;
  for (const tr of $('watchlist').rows) tr.classList.toggle('selected', tr.dataset.key === keyOf(row));
  loadCandles().catch(showError);
}

for (const button of document.querySelectorAll('.intervals button')) {
  button.addEventListener('click', () => {
    state.interval = button.dataset.interval;
    document.querySelectorAll('.intervals button').forEach((b) => b.classList.toggle('active', b === button));
    loadCandles().catch(showError);
  });
}

// ---- pipeline health --------------------------------------------------------------------------

async function loadHealth() {
  const status = await getJson('/status');
  const providers = status.providers || [];
  $('demo-banner').hidden = !providers.some((p) => p.name === 'demo');
  $('feeds').textContent = providers.map((p) => p.name).join(' · ');
  const run = status.lastRun;
  const reasons = run ? Object.entries(run.rejectedByReason).map(([r, n]) => `${r} ${n}`).join(', ') : '';
  const rows = [
    ['Last run', run ? `${new Date(run.finishedAt).toLocaleTimeString()} (${run.trigger})` : 'none yet'],
    ['Outcome', run ? html`<span class="${run.outcome === 'ok' ? 'good' : run.outcome === 'failed' ? 'bad' : 'warn'}">${run.outcome}</span>` : '—'],
    ['Fetched / published', run ? `${run.fetched} / ${run.published}${run.unchanged ? ` (${run.unchanged} unchanged)` : ''}` : '—'],
    ['Rejected rows', run ? `${run.rejected}${reasons ? ` — ${reasons}` : ''}` : '—'],
    ['Errors', run && run.errors.length ? html`<span class="bad">${join(run.errors.map((e) => e.message), html`<br>`)}</span>` : 'none'],
    ['Next run', status.nextRunAt ? new Date(status.nextRunAt).toLocaleTimeString() : 'schedule off'],
    ['Queue', status.queue ? `${status.queue.visible} waiting, ${status.queue.inFlight} in flight` : 'unknown'],
    ['Dead letters', status.deadLetters ? html`<span class="${status.deadLetters.visible ? 'bad' : ''}">${status.deadLetters.visible}</span>` : 'unknown'],
    ['Coverage', coverageText(status.coverage)],
    ['Quality', qualityText(status.quality)],
    ['Backfill', backfillText(status.backfill)],
    ...providers.map((p) => [
      p.name,
      html`${marketText(p)}${p.blocked && html` — <span class="bad">${p.blocked.message}</span>`}${
        p.rateLimit && p.rateLimit.remaining != null && ` — quota left ${p.rateLimit.remaining}`
      }`,
    ]),
  ];
  $('health').innerHTML = String(join(rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)));
}

// ---- live updates -----------------------------------------------------------------------------

function listen() {
  const source = new EventSource('/quotes/stream');
  source.addEventListener('open', () => $('live').classList.add('on'));
  source.addEventListener('error', () => $('live').classList.remove('on'));
  // a cross-provider quality alert: the pipeline panel shows the flags
  source.addEventListener('alert', () => loadHealth().catch(() => undefined));
  source.addEventListener('quote', (event) => {
    const q = JSON.parse(event.data);
    const key = keyOf(q);
    const row = state.rows.get(key) || { symbol: q.symbol, series: q.series, source: q.source, prices: [] };
    row.price = q.price;
    row.prices = [...row.prices, q.price].slice(-60);
    state.rows.set(key, row);
    const tr = renderRow(key);
    // restart the highlight: a second quote within the animation flashes again
    tr.classList.remove('flash');
    void tr.offsetWidth;
    tr.classList.add('flash');
    if (!state.selected) select(row);
    else if (keyOf(state.selected) === key) loadCandles().catch(showError);
  });
}

function showError(err) {
  $('chart-note').textContent = `Could not load: ${err.message}`;
}

loadHealth().catch(showError);
loadWatchlist().catch(showError);
listen();
setInterval(() => loadHealth().catch(() => {}), 5000);

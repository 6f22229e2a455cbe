// quoteflow dashboard: the pipeline panel's sentences (market state per provider, coverage, quality, backfill).
import { html, join } from './html.js';

const REASONS = { weekend: 'weekend', holiday: 'holiday', 'outside-hours': 'outside trading hours' };

/** The provider's market now: open (until when), or closed with the reason (the holiday's name) and the next opening, in local time. */
export function marketText(p) {
  const m = p.marketState;
  if (!m) return html`${p.marketOpen ? 'market open' : 'market closed'}`;
  const when = (iso) => new Date(iso).toLocaleString([], { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  const where = m.exchange ? `${m.exchange} ` : '';
  let text;
  if (m.reason === 'always-open') text = html`market always open`;
  else if (m.open) text = html`<span class="good">${where}open</span>${m.session && html` until ${when(m.session.close)}`}${m.sessionName && html` (${m.sessionName})`}`;
  else {
    const why = m.reason === 'holiday' ? `holiday: ${m.holidayName}` : REASONS[m.reason] || m.reason;
    text = html`<span class="warn market-closed">${where}closed — ${why}</span>${m.nextOpen && html` · next open ${when(m.nextOpen)}`}`;
  }
  return m.note ? html`${text} <span class="muted small">(${m.note})</span>` : text;
}

export function coverageText(c) {
  if (!c) return html`—`;
  if (c.error) return html`<span class="warn">${c.error}</span>`;
  if (c.ratio == null) return html`nothing expected yet`;
  const worst = c.incomplete.slice(0, 3).map((i) => `${i.symbol} ${i.missing} missing`).join(', ');
  return html`<span class="${c.ratio >= 0.99 ? 'good' : 'warn'}">${(c.ratio * 100).toFixed(1)}%</span> of ${c.expected} expected minutes (last trading day)${worst && ` — ${worst}`}`;
}

/** Cross-provider quality: the active alerts (divergence, jump), else how many instruments are compared. */
export function qualityText(q) {
  if (!q) return html`—`;
  if (q.alerts && q.alerts.length) {
    return join(
      q.alerts.map((a) => html`<span class="bad quality-alert">${a.kind} ${a.symbol} ${a.bps} bps</span> <span class="muted small">${a.message}</span>`),
      html`<br>`,
    );
  }
  return q.instruments.length
    ? html`<span class="good">${q.instruments.length} instrument(s) compared across providers, no alert</span>`
    : html`one provider per instrument: nothing to compare`;
}

/** Backfill: the last pass in a few words. */
export function backfillText(b) {
  if (!b || !b.providers.length) return html`no provider with a history endpoint`;
  const last = b.lastPass;
  const paused = b.paused.map((p) => html` — <span class="warn">${p.provider} paused until ${new Date(p.until).toLocaleTimeString()}</span>`);
  return html`${last ? `${last.published} bar(s) filled (${last.trigger}, ${new Date(last.finishedAt).toLocaleTimeString()})` : 'no pass yet'}${paused}`;
}

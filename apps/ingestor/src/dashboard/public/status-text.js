// quoteflow dashboard: the pipeline panel's sentences (market state per provider, coverage), loaded before app.js.
'use strict';

const REASONS = { weekend: 'weekend', holiday: 'holiday', 'outside-hours': 'outside trading hours' };

/** The provider's market now: open (until when), or closed with the reason (the holiday's name) and the next opening, in local time. */
function marketText(p) {
  const m = p.marketState;
  if (!m) return p.marketOpen ? 'market open' : 'market closed';
  const when = (iso) => new Date(iso).toLocaleString([], { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  const where = m.exchange ? `${escapeHtml(m.exchange)} ` : '';
  let text;
  if (m.reason === 'always-open') text = 'market always open';
  else if (m.open) text = `<span class="good">${where}open</span>${m.session ? ` until ${when(m.session.close)}` : ''}${m.sessionName ? ` (${escapeHtml(m.sessionName)})` : ''}`;
  else {
    const why = m.reason === 'holiday' ? `holiday: ${escapeHtml(m.holidayName)}` : REASONS[m.reason] || escapeHtml(m.reason);
    text = `<span class="warn market-closed">${where}closed — ${why}</span>${m.nextOpen ? ` · next open ${when(m.nextOpen)}` : ''}`;
  }
  return m.note ? `${text} <span class="muted small">(${escapeHtml(m.note)})</span>` : text;
}

function coverageText(c) {
  if (!c) return '—';
  if (c.error) return `<span class="warn">${escapeHtml(c.error)}</span>`;
  if (c.ratio == null) return 'nothing expected yet';
  const worst = c.incomplete.slice(0, 3).map((i) => `${escapeHtml(i.symbol)} ${i.missing} missing`).join(', ');
  return `<span class="${c.ratio >= 0.99 ? 'good' : 'warn'}">${(c.ratio * 100).toFixed(1)}%</span> of ${c.expected} expected minutes (last trading day)${worst ? ` — ${worst}` : ''}`;
}

/** Cross-provider quality: the active alerts (divergence, jump), else how many instruments are compared. */
function qualityText(q) {
  if (!q) return '—';
  if (q.alerts && q.alerts.length) {
    return q.alerts.map((a) => `<span class="bad quality-alert">${escapeHtml(a.kind)} ${escapeHtml(a.symbol)} ${a.bps} bps</span> <span class="muted small">${escapeHtml(a.message)}</span>`).join('<br>');
  }
  return q.instruments.length ? `<span class="good">${q.instruments.length} instrument(s) compared across providers, no alert</span>` : 'one provider per instrument: nothing to compare';
}

/** Backfill: the last pass in a few words. */
function backfillText(b) {
  if (!b || !b.providers.length) return 'no provider with a history endpoint';
  const last = b.lastPass;
  const paused = b.paused.map((p) => ` — <span class="warn">${escapeHtml(p.provider)} paused until ${new Date(p.until).toLocaleTimeString()}</span>`).join('');
  return (last ? `${last.published} bar(s) filled (${escapeHtml(last.trigger)}, ${new Date(last.finishedAt).toLocaleTimeString()})` : 'no pass yet') + paused;
}

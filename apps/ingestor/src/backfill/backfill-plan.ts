import { BACKFILL_ASKED_MAX, type BackfillState } from '@app/common';

/** A time range `[from, to)` in epoch milliseconds. */
export interface Span {
  from: number;
  to: number;
}

export function toSpan([from, to]: [string, string]): Span {
  return { from: Date.parse(from), to: Date.parse(to) };
}

export function toPair(span: Span): [string, string] {
  return [new Date(span.from).toISOString(), new Date(span.to).toISOString()];
}

/** Sorted, with overlapping or touching spans merged. */
export function mergeSpans(spans: Span[]): Span[] {
  const merged: Span[] = [];
  for (const s of [...spans].filter((x) => x.from < x.to).sort((a, b) => a.from - b.from)) {
    const last = merged[merged.length - 1];
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else merged.push({ ...s });
  }
  return merged;
}

/** The parts of `spans` outside every span of `minus`. */
export function subtractSpans(spans: Span[], minus: Span[]): Span[] {
  const cut = mergeSpans(minus);
  const left: Span[] = [];
  for (const span of mergeSpans(spans)) {
    let from = span.from;
    for (const m of cut) {
      if (m.to <= from || m.from >= span.to) continue;
      if (m.from > from) left.push({ from, to: m.from });
      from = Math.max(from, m.to);
    }
    if (from < span.to) left.push({ from, to: span.to });
  }
  return left;
}

/** Whether instant `t` lies in one of the (merged, sorted) spans. */
export function within(spans: Span[], t: number): boolean {
  return spans.some((s) => t >= s.from && t < s.to);
}

/**
 * The state after a pass over `[searched.from, searched.to)`: the asked span joins `asked`, and an
 * automatic pass that started at (or before) the watermark moves it up to the first minute still
 * missing and never asked, or to where the judged minutes end. Asked spans behind the watermark are
 * dropped, and the list is cut to its newest {@link BACKFILL_ASKED_MAX}.
 */
export function nextState(
  state: BackfillState,
  pass: { searched: Span; judgedUntil: number; missing: Span[]; asked: Span | null; automatic: boolean; at: Date },
): BackfillState {
  const asked = mergeSpans([...state.asked.map(toSpan), ...(pass.asked ? [pass.asked] : [])]);
  let watermark = state.watermark === null ? null : Date.parse(state.watermark);
  if (pass.automatic && (watermark === null || pass.searched.from <= watermark)) {
    const stillMissing = subtractSpans(pass.missing, asked);
    const reach = stillMissing.length ? Math.min(stillMissing[0].from, pass.judgedUntil) : pass.judgedUntil;
    watermark = Math.max(watermark ?? reach, reach);
  }
  const kept = asked.filter((s) => watermark === null || s.to > watermark).slice(-BACKFILL_ASKED_MAX);
  return { watermark: watermark === null ? null : new Date(watermark).toISOString(), asked: kept.map(toPair), updatedAt: pass.at.toISOString() };
}

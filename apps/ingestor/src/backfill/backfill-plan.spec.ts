import { mergeSpans, nextState, subtractSpans, within } from './backfill-plan';

const t = (hhmm: string) => Date.parse(`2026-11-17T${hhmm}:00.000Z`);
const iso = (hhmm: string) => new Date(t(hhmm)).toISOString();
const span = (from: string, to: string) => ({ from: t(from), to: t(to) });
const AT = new Date('2026-11-17T16:00:00.000Z');

describe('backfill spans', () => {
  it('merges overlapping and touching spans, sorted', () => {
    expect(mergeSpans([span('15:10', '15:20'), span('15:00', '15:05'), span('15:05', '15:07'), span('15:15', '15:30')])).toEqual([span('15:00', '15:07'), span('15:10', '15:30')]);
  });

  it('subtracts what was asked before from the gaps', () => {
    expect(subtractSpans([span('15:00', '15:30')], [span('15:05', '15:10'), span('15:20', '15:40')])).toEqual([span('15:00', '15:05'), span('15:10', '15:20')]);
    expect(subtractSpans([span('15:00', '15:10')], [span('14:00', '16:00')])).toEqual([]);
  });

  it('tells whether an instant is in a span, end exclusive', () => {
    const spans = [span('15:00', '15:05')];
    expect([t('15:00'), t('15:04'), t('15:05')].map((x) => within(spans, x))).toEqual([true, true, false]);
  });
});

describe('the watermark after a pass', () => {
  const empty = { watermark: null, asked: [], updatedAt: null };

  it('moves to where the judged minutes end when nothing is missing', () => {
    const state = nextState(empty, { searched: span('15:00', '15:20'), judgedUntil: t('15:19'), missing: [], asked: null, automatic: true, at: AT });
    expect(state).toEqual({ watermark: iso('15:19'), asked: [], updatedAt: AT.toISOString() });
  });

  it('moves past a gap that was asked (a minute without a bar is not asked again) and drops the asked span behind it', () => {
    const state = nextState({ ...empty, watermark: iso('15:00') }, { searched: span('15:00', '15:20'), judgedUntil: t('15:20'), missing: [span('15:05', '15:15')], asked: span('15:05', '15:15'), automatic: true, at: AT });
    expect(state.watermark).toBe(iso('15:20'));
    expect(state.asked).toEqual([]);
  });

  it('stops at the first gap the budget left unasked, keeping later asked spans', () => {
    const state = nextState({ ...empty, watermark: iso('15:00') }, { searched: span('15:00', '15:40'), judgedUntil: t('15:40'), missing: [span('15:05', '15:10'), span('15:30', '15:35')], asked: span('15:30', '15:35'), automatic: true, at: AT });
    expect(state.watermark).toBe(iso('15:05'));
    expect(state.asked).toEqual([[iso('15:30'), iso('15:35')]]);
  });

  it('is not moved by an on-demand pass, which only records what it asked', () => {
    const state = nextState({ ...empty, watermark: iso('15:00') }, { searched: span('14:00', '14:30'), judgedUntil: t('14:30'), missing: [span('14:10', '14:20')], asked: span('14:10', '14:20'), automatic: false, at: AT });
    expect(state.watermark).toBe(iso('15:00'));
    expect(state.asked).toEqual([]);
  });

  it('never moves back', () => {
    const state = nextState({ ...empty, watermark: iso('15:30') }, { searched: span('15:00', '15:40'), judgedUntil: t('15:40'), missing: [span('15:05', '15:10')], asked: null, automatic: true, at: AT });
    expect(state.watermark).toBe(iso('15:30'));
  });
});

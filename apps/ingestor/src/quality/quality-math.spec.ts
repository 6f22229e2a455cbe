import { divergenceBps, lagSeconds, median, moveInDayRanges, oneDecimal } from './quality-math';

describe('quality figures', () => {
  it('measures two prices apart in basis points of their mid, the same either way round', () => {
    expect(divergenceBps(400, 420)).toBe(487.8048780487805);
    expect(divergenceBps(420, 400)).toBe(487.8048780487805);
    expect(divergenceBps(100, 100)).toBe(0);
    // the most two positive prices can be apart, what QUALITY_DIVERGENCE_BPS allows at most
    expect(divergenceBps(1e-12, 1e12)).toBeCloseTo(20_000, 6);
  });

  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([420, 400, 400.4])).toBe(400.4);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow(RangeError);
  });

  it('measures a move in day ranges, and not at all without a range', () => {
    expect(moveInDayRanges(100, 103, 104, 102)).toBe(1.5);
    expect(moveInDayRanges(103, 100, 104, 99)).toBe(0.6);
    expect(moveInDayRanges(100, 103, 103, 103)).toBeNull();
    expect(moveInDayRanges(100, 103, null, 99)).toBeNull();
    expect(moveInDayRanges(100, 103, 104, null)).toBeNull();
  });

  it('counts the seconds between the earliest and the latest quote time', () => {
    expect(lagSeconds(['2024-09-13T20:00:01.000Z', '2024-09-13T20:00:00.000Z'])).toBe(1);
    expect(lagSeconds(['2024-09-13T20:00:00.000Z', '2024-09-13T19:58:30.500Z', '2024-09-13T19:59:00.000Z'])).toBe(89.5);
    expect(lagSeconds(['2024-09-13T20:00:00.000Z'])).toBe(0);
  });

  it('shows figures with one decimal place', () => {
    expect(oneDecimal(487.8048780487805)).toBe(487.8);
    expect(oneDecimal(9.995002498750056)).toBe(10);
  });
});

import { DAY_MS, floorToMinute, MINUTE_MS } from './time';

describe('time units', () => {
  it('floors an instant to the start of its UTC minute, and keeps a whole minute as it is', () => {
    expect(floorToMinute(Date.parse('2024-09-16T10:29:47.999Z'))).toBe(Date.parse('2024-09-16T10:29:00.000Z'));
    expect(floorToMinute(Date.parse('2024-09-16T10:29:00.000Z'))).toBe(Date.parse('2024-09-16T10:29:00.000Z'));
    expect(DAY_MS / MINUTE_MS).toBe(1_440);
  });
});

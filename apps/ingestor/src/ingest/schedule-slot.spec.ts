import { schedulePeriodMs, scheduleSlot } from './schedule-slot';

const at = (iso: string) => new Date(iso);

describe('scheduleSlot', () => {
  it.each([
    ['*/2 * * * * *', '2024-09-16T10:00:04.000Z', '2024-09-16T10:00:04.000Z'],
    ['*/2 * * * * *', '2024-09-16T10:00:05.950Z', '2024-09-16T10:00:04.000Z'],
    ['* * * * *', '2024-09-16T10:00:00.030Z', '2024-09-16T10:00:00.000Z'],
    ['* * * * *', '2024-09-16T10:00:59.999Z', '2024-09-16T10:00:00.000Z'],
    ['*/15 * * * *', '2024-09-16T13:59:00.000Z', '2024-09-16T13:45:00.000Z'],
  ])('puts a tick of "%s" at %s into the slot %s', (cron, now, slot) => {
    expect(scheduleSlot(cron, at(now))).toBe(Date.parse(slot));
  });

  it('gives two instances whose timers fire a little apart the same slot', () => {
    expect(scheduleSlot('* * * * *', at('2024-09-16T10:00:00.004Z'))).toBe(scheduleSlot('* * * * *', at('2024-09-16T10:00:00.480Z')));
  });
});

describe('schedulePeriodMs', () => {
  it.each([
    ['* * * * *', 60_000],
    ['*/5 * * * * *', 5_000],
    ['*/15 * * * *', 900_000],
  ])('measures "%s" as %d ms', (cron, ms) => {
    expect(schedulePeriodMs(cron, at('2024-09-16T10:00:00.000Z'))).toBe(ms);
  });

  it('gives an irregular schedule its next gap', () => {
    expect(schedulePeriodMs('0 9,17 * * *', at('2024-09-16T08:00:00.000Z'))).toBe(8 * 3_600_000);
  });
});

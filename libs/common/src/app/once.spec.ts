import { onceUntilFailure } from './once';

describe('onceUntilFailure', () => {
  it('sets up once and hands every later call the same result', async () => {
    let setups = 0;
    const get = onceUntilFailure(async () => ({ setup: ++setups }));

    const results = await Promise.all([get(), get(), get()]);

    expect(setups).toBe(1);
    expect(new Set(results).size).toBe(1);
  });

  it('tries again after a failed set-up instead of keeping the failure', async () => {
    let attempt = 0;
    const get = onceUntilFailure(async () => {
      if (++attempt === 1) throw new Error('table not reachable');
      return attempt;
    });

    await expect(get()).rejects.toThrow('table not reachable');
    await expect(get()).resolves.toBe(2);
    await expect(get()).resolves.toBe(2);
  });
});

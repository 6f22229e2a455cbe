import { contractLine, repeated } from './figure';

describe('repeated', () => {
  it('takes the medians of the rounds and the median of their own ratios, with the spread', () => {
    const figure = repeated('x', 'msg/s', 'higher', [
      { value: 100, baseline: 50 },
      { value: 300, baseline: 100 },
      { value: 200, baseline: 200 },
    ]);

    expect(figure).toEqual({ bench: 'x', value: 200, unit: 'msg/s', baseline: 100, ratio: 2, spread: { rounds: 3, value: [100, 300], baseline: [50, 200], ratio: [1, 3] } });
  });

  it('turns the ratio round for figures where lower is better, and has no spread for one round', () => {
    expect(repeated('t', 'ms', 'lower', [{ value: 20, baseline: 50 }])).toEqual({ bench: 't', value: 20, unit: 'ms', baseline: 50, ratio: 2.5 });
  });
});

describe('contractLine', () => {
  it('prints exactly the five fields of CONTRACT.md', () => {
    const line = contractLine({ ...repeated('x', 'u', 'higher', [{ value: 1, baseline: 1 }, { value: 2, baseline: 1 }]) });

    expect(Object.keys(JSON.parse(line))).toEqual(['bench', 'value', 'unit', 'baseline', 'ratio']);
  });
});

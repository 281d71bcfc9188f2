import { allocateProportionally } from '../money/money.js';
import { agingBucket } from './receivables.report.js';
import { reportRange } from './report-range.js';

// Issue 11, reports: the rules' edges, without a database.
describe('report rules', () => {
  it('ages a balance by days past due: 0 is current, then 1–30, 31–60, 61–90, over 90', () => {
    expect([null, -5, 0, 1, 30, 31, 60, 61, 90, 91].map(agingBucket)).toEqual([
      'currentMinor', 'currentMinor', 'currentMinor', 'days1To30Minor', 'days1To30Minor', 'days31To60Minor', 'days31To60Minor', 'days61To90Minor', 'days61To90Minor', 'over90Minor',
    ]);
  });

  it('spreads an amount in proportion, the parts summing exactly (largest remainder, ties to the first)', () => {
    expect(allocateProportionally(10000, [12000, 6000, 1001])).toEqual([6315, 3158, 527]);
    expect(allocateProportionally(-10000, [12000, 6000, 1001])).toEqual([-6315, -3158, -527]);
    expect(allocateProportionally(1, [1, 1])).toEqual([1, 0]);
    expect(allocateProportionally(7, [0, 0])).toEqual([7, 0]);
    for (const [amount, weights] of [[99, [3, 3, 3]], [100, [1, 2, 3, 4]], [1, [5, 5, 5]]] as const) {
      expect(allocateProportionally(amount, [...weights]).reduce((a, b) => a + b, 0)).toBe(amount);
    }
  });

  it('takes a range of at most 366 days, both ends or neither, in the studio time zone', () => {
    expect(reportRange({ from: '2024-01-01', to: '2024-12-31' }, 'Europe/Paris')).toMatchObject({ from: '2024-01-01', to: '2024-12-31' });
    expect(() => reportRange({ from: '2025-01-01', to: '2026-01-02' }, 'Europe/Paris')).toThrow(); // 367 days
    expect(() => reportRange({ from: '2026-01-02', to: '2026-01-01' }, 'UTC')).toThrow();
    expect(() => reportRange({ from: '2026-01-02' }, 'UTC')).toThrow();
    // The bounds are the studio's midnights: Paris is UTC+1 in winter, UTC+2 after the spring change.
    const range = reportRange({ from: '2026-03-23', to: '2026-03-29' }, 'Europe/Paris');
    expect([range.startsAt.toISOString(), range.endsAt.toISOString()]).toEqual(['2026-03-22T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(reportRange({}, 'UTC', new Date('2026-11-26T12:00:00Z'))).toMatchObject({ from: '2025-12-01', to: '2026-11-26' });
  });
});

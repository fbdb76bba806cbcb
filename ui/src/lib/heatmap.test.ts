import { describe, expect, it } from 'vitest';
import { heatmapLayout, level, parseDay, weekday, WEEKDAYS, WEEKS } from './heatmap';

describe('heatmapLayout', () => {
  // 2026-11-23 is a Monday.
  const today = '2026-11-23';

  it('ends with today in the last column, Monday on the first row', () => {
    const { cells } = heatmapLayout(today, []);
    const last = cells[cells.length - 1];
    expect(last.date).toBe(today);
    expect(last.column).toBe(WEEKS - 1);
    expect(last.row).toBe(0);
    expect(cells[0].row).toBe(0);
    expect(weekday(parseDay(cells[0].date))).toBe(0);
    // 52 full weeks and today.
    expect(cells.length).toBe((WEEKS - 1) * WEEKDAYS + 1);
  });

  it('fills the whole last week when today is a Sunday', () => {
    const { cells } = heatmapLayout('2026-11-29', []);
    expect(cells.length).toBe(WEEKS * WEEKDAYS);
    expect(cells[cells.length - 1]).toMatchObject({ date: '2026-11-29', column: 52, row: 6 });
  });

  it('places each day once, in date order, one day apart', () => {
    const { cells } = heatmapLayout('2026-03-31', []);
    for (let i = 1; i < cells.length; i++) {
      expect(parseDay(cells[i].date) - parseDay(cells[i - 1].date)).toBe(86_400_000);
      expect(cells[i].column * 7 + cells[i].row).toBe(cells[i - 1].column * 7 + cells[i - 1].row + 1);
    }
  });

  it('crosses the change to summer time without a gap (dates are UTC)', () => {
    const { cells } = heatmapLayout('2026-04-05', []);
    const dates = new Set(cells.map((c) => c.date));
    expect(dates.has('2026-03-29')).toBe(true);
    expect(dates.has('2025-10-26')).toBe(true);
  });

  it('counts answers and scales levels to the busiest day', () => {
    const layout = heatmapLayout(today, [
      { date: '2026-11-20', count: 40 },
      { date: '2026-11-21', count: 10 },
      { date: '2026-11-22', count: 1 },
      { date: '2020-01-01', count: 999 }, // Outside the year: ignored.
    ]);
    expect(layout.max).toBe(40);
    expect(layout.total).toBe(51);
    expect(layout.activeDays).toBe(3);
    const byDate = new Map(layout.cells.map((c) => [c.date, c]));
    expect(byDate.get('2026-11-20')?.level).toBe(4);
    expect(byDate.get('2026-11-21')?.level).toBe(1);
    expect(byDate.get('2026-11-22')?.level).toBe(1);
    expect(byDate.get('2026-11-19')?.level).toBe(0);
  });

  it('labels each month once, at its first week', () => {
    const { months } = heatmapLayout(today, []);
    expect(months.length).toBeGreaterThanOrEqual(12);
    expect(months.length).toBeLessThanOrEqual(13);
    expect(months[months.length - 1].label).toBe('Nov');
    const columns = months.map((m) => m.column);
    expect([...columns].sort((a, b) => a - b)).toEqual(columns);
    // Labels never crowd each other.
    for (let i = 1; i < columns.length; i++) expect(columns[i] - columns[i - 1]).toBeGreaterThanOrEqual(3);
    // 2026-11-23 minus 52 weeks is Monday 2025-11-24: December's label wins.
    expect(months[0]).toEqual({ column: 1, label: 'Dec' });
  });
});

describe('level', () => {
  it('is 0 without answers and 1–4 by quarters of the maximum', () => {
    expect(level(0, 10)).toBe(0);
    expect(level(1, 100)).toBe(1);
    expect(level(25, 100)).toBe(1);
    expect(level(26, 100)).toBe(2);
    expect(level(75, 100)).toBe(3);
    expect(level(100, 100)).toBe(4);
  });
});

// The calendar heatmap's layout: 53 week columns × 7 weekday rows (Monday
// first) ending with today's week; days after today are left out.

import type { DayCountDto } from './api/types';

export const WEEKS = 53;
export const WEEKDAYS = 7;

export interface HeatCell {
  date: string;
  count: number;
  /** 0 (none) to 4 (busiest). */
  level: number;
  column: number;
  row: number;
}

export interface MonthLabel {
  column: number;
  label: string;
}

export interface HeatmapLayout {
  cells: HeatCell[];
  months: MonthLabel[];
  max: number;
  total: number;
  activeDays: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` → UTC midnight milliseconds (no time zone surprises). */
export function parseDay(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

export function formatDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Monday = 0 … Sunday = 6. */
export function weekday(ms: number): number {
  return (new Date(ms).getUTCDay() + 6) % 7;
}

/** The level of a count against the busiest day: quarters of the maximum. */
export function level(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  return Math.min(4, Math.max(1, Math.ceil((count / max) * 4)));
}

export function heatmapLayout(today: string, days: DayCountDto[]): HeatmapLayout {
  const counts = new Map(days.map((d) => [d.date, d.count]));
  const end = parseDay(today);
  const start = end - (weekday(end) + (WEEKS - 1) * WEEKDAYS) * DAY_MS;
  let max = 0;
  for (const d of days) {
    const t = parseDay(d.date);
    if (t >= start && t <= end) max = Math.max(max, d.count);
  }
  const cells: HeatCell[] = [];
  const months: MonthLabel[] = [];
  let total = 0;
  let activeDays = 0;
  let lastMonth = -1;
  for (let column = 0; column < WEEKS; column++) {
    const monday = start + column * WEEKDAYS * DAY_MS;
    const month = new Date(monday).getUTCMonth();
    if (month !== lastMonth) {
      months.push({ column, label: MONTHS[month] });
      lastMonth = month;
    }
    for (let row = 0; row < WEEKDAYS; row++) {
      const t = monday + row * DAY_MS;
      if (t > end) break;
      const date = formatDay(t);
      const count = counts.get(date) ?? 0;
      total += count;
      if (count > 0) activeDays++;
      cells.push({ date, count, level: level(count, max), column, row });
    }
  }
  // The first month's label is dropped when the next one follows too
  // closely to fit beside it.
  if (months.length > 1 && months[1].column - months[0].column < 3) months.shift();
  return { cells, months, max, total, activeDays };
}

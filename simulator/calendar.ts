/** Dates as whole UTC days since the epoch: cheap, exact, and free of time zones. */

const DAY_MS = 86_400_000;

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
export type Month = (typeof MONTHS)[number];

/** Relative traffic by calendar month: spring and the end-of-year season are busiest. */
export const MONTH_TRAFFIC: readonly number[] = [0.5, 0.6, 1.3, 0.8, 1.8, 0.6, 0.7, 0.7, 0.8, 0.9, 1.9, 1.4];

/** Parses `YYYY-MM-DD` (a real calendar date) into a day number, or returns undefined. */
export function parseIsoDay(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
}

export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function monthOf(day: number): Month {
  return MONTHS[new Date(day * DAY_MS).getUTCMonth()] ?? 'Jan';
}

export function monthIndexOf(day: number): number {
  return new Date(day * DAY_MS).getUTCMonth();
}

export function isWeekend(day: number): boolean {
  const dow = new Date(day * DAY_MS).getUTCDay();
  return dow === 0 || dow === 6;
}

/** nth (1-based) given weekday (0 = Sunday) of a month, as a day number. */
function nthWeekday(year: number, monthIndex: number, weekday: number, n: number): number {
  const first = Date.UTC(year, monthIndex, 1) / DAY_MS;
  const firstDow = new Date(first * DAY_MS).getUTCDay();
  return first + ((weekday - firstDow + 7) % 7) + 7 * (n - 1);
}

/** Shopping holidays of a year: Valentine's Day, Mother's Day (US), Black Friday, Christmas. */
function holidays(year: number): number[] {
  return [
    Date.UTC(year, 1, 14) / DAY_MS,
    nthWeekday(year, 4, 0, 2),
    nthWeekday(year, 10, 4, 4) + 1,
    Date.UTC(year, 11, 25) / DAY_MS,
  ];
}

/**
 * Closeness to the next shopping holiday in steps of 0.2, as in the public shoppers data:
 * 1 five days before, falling to 0.2 one and nine days before, 0 otherwise.
 */
export function specialDay(day: number): number {
  const year = new Date(day * DAY_MS).getUTCFullYear();
  for (const h of [...holidays(year), ...holidays(year + 1)]) {
    const before = h - day;
    if (before >= 1 && before <= 9) return Math.round((1 - Math.abs(before - 5) / 5) * 5) / 5;
  }
  return 0;
}

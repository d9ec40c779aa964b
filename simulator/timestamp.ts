/**
 * ISO 8601 timestamps (`2026-03-01T08:15:02.250Z`) from epoch milliseconds, several times faster than
 * `Date#toISOString` for the millions an event stream needs, and identical to it for years 0–9999.
 */

const DAY_MS = 86_400_000;
let cachedDay = NaN;
let cachedDate = '';

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `YYYY-MM-DD` of a day number (days since 1970-01-01), by Hinnant's civil-from-days. */
function civilDate(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

export function isoTimestamp(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  // Events of one customer cluster in a few days: remembering the last date saves most of the work.
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDate = civilDate(day);
  }
  let rest = ms - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const min = Math.floor(rest / 60_000);
  rest -= min * 60_000;
  const s = Math.floor(rest / 1000);
  return `${cachedDate}T${pad(h, 2)}:${pad(min, 2)}:${pad(s, 2)}.${pad(rest - s * 1000, 3)}Z`;
}

import type { ColumnType } from '../../kinds/ingest.js';

const INT_RE = /^[+-]?\d+$/;
const NUM_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BOOL_RE = /^(true|false|t|f|yes|no)$/i;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TS_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const INT32_MAX = 2147483647n;
const INT64_MAX = 9223372036854775807n;

function validDate(y: string, m: string, d: string): boolean {
  const year = Number(y), month = Number(m), day = Number(d);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function intFits(v: string, max: bigint): boolean {
  // Cheap path: 9 digits always fit in int32.
  if (v.length <= 9) return true;
  const n = BigInt(v);
  return n <= max && n >= -max - 1n;
}

/** Whether `v` (non-empty, as written in the file) is a valid value of `type` for Postgres input. */
export function fits(type: ColumnType, v: string): boolean {
  switch (type) {
    case 'text': return true;
    case 'integer': return INT_RE.test(v) && intFits(v, INT32_MAX);
    case 'bigint': return INT_RE.test(v) && intFits(v, INT64_MAX);
    case 'double': return NUM_RE.test(v) && Number.isFinite(Number(v));
    case 'boolean': return BOOL_RE.test(v);
    case 'date': {
      const m = DATE_RE.exec(v);
      return m !== null && validDate(m[1]!, m[2]!, m[3]!);
    }
    case 'timestamp': {
      const m = TS_RE.exec(v);
      if (!m || !validDate(m[1]!, m[2]!, m[3]!)) return false;
      return Number(m[4] ?? 0) <= 23 && Number(m[5] ?? 0) <= 59 && Number(m[6] ?? 0) <= 59;
    }
  }
}

/** Types tried in order; the first that accepts every sampled value wins. */
const INFERENCE_ORDER: ColumnType[] = ['integer', 'bigint', 'double', 'boolean', 'date', 'timestamp', 'text'];

/** Infers a column's type from sampled values; empty strings are NULLs and do not vote. */
export function inferType(values: readonly string[]): ColumnType {
  let candidates = INFERENCE_ORDER;
  let seen = false;
  for (const v of values) {
    if (v === '') continue;
    seen = true;
    candidates = candidates.filter((t) => fits(t, v));
    if (candidates.length === 1) break;
  }
  return seen ? candidates[0]! : 'text';
}

const ARTICLE: Record<ColumnType, string> = {
  integer: 'an integer', bigint: 'a 64-bit integer', double: 'a number', boolean: 'a boolean (true/false)',
  date: 'a date (YYYY-MM-DD)', timestamp: 'a timestamp (YYYY-MM-DD HH:MM:SS)', text: 'text',
};

export function describeMismatch(column: string, v: string, type: ColumnType): string {
  const shown = v.length > 40 ? `${v.slice(0, 40)}…` : v;
  return `column "${column}": ${JSON.stringify(shown)} is not ${ARTICLE[type]}`;
}

/** SQL type of a dataset column. */
export const SQL_TYPES: Record<ColumnType, string> = {
  integer: 'integer', bigint: 'bigint', double: 'double precision', boolean: 'boolean',
  date: 'date', timestamp: 'timestamp with time zone', text: 'text',
};

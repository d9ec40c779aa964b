import type { ColumnType } from '../../kinds/ingest.js';

// Byte-level twins of `fits()` in infer.ts, for the fast path: they read a field straight from the
// file's bytes, without a string, a trim or a regex. They must never accept what `fits()` refuses;
// they may refuse more (a refused field only sends the load down the careful path). Values with
// surrounding spaces are refused here, since `fits()` sees them trimmed.

const ZERO = 48;
const NINE = 57;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const COLON = 58;

function digit(b: Uint8Array, i: number): boolean {
  const c = b[i]!;
  return c >= ZERO && c <= NINE;
}

/** Two ASCII digits at i as a number, or -1. */
function two(b: Uint8Array, i: number): number {
  return digit(b, i) && digit(b, i + 1) ? (b[i]! - ZERO) * 10 + (b[i + 1]! - ZERO) : -1;
}

const INT32_MAX = 2147483647n;
const INT64_MAX = 9223372036854775807n;

function ascii(b: Uint8Array, s: number, e: number): string {
  return Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('latin1');
}

/** [+-]?[0-9]+ within range; like `intFits`, nine characters or fewer always fit. */
function integerBytes(b: Uint8Array, s: number, e: number, max: bigint): boolean {
  let i = s;
  if (i < e && (b[i] === PLUS || b[i] === MINUS)) i++;
  if (i >= e) return false;
  for (; i < e; i++) if (!digit(b, i)) return false;
  if (e - s <= 9) return true;
  const n = BigInt(ascii(b, s, e));
  return n <= max && n >= -max - 1n;
}

/** [+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)? */
function doubleBytes(b: Uint8Array, s: number, e: number): boolean {
  let i = s;
  if (i < e && (b[i] === PLUS || b[i] === MINUS)) i++;
  let mantissa = 0;
  while (i < e && digit(b, i)) { i++; mantissa++; }
  const big = mantissa > 300;
  if (i < e && b[i] === DOT) {
    i++;
    while (i < e && digit(b, i)) { i++; mantissa++; }
  }
  if (mantissa === 0) return false;
  if (i < e && (b[i] === 101 || b[i] === 69)) {
    i++;
    if (i < e && (b[i] === PLUS || b[i] === MINUS)) i++;
    const start = i;
    while (i < e && digit(b, i)) i++;
    if (i === start || i !== e) return false;
    return inRange(b, s, e);
  }
  // Without an exponent only a number of some 300 digits can overflow or underflow.
  return i === e && (!big || inRange(b, s, e));
}

/** `fits()` wants a finite number; Postgres also refuses one that underflows to zero. */
function inRange(b: Uint8Array, s: number, e: number): boolean {
  const text = ascii(b, s, e);
  const v = Number(text);
  return Number.isFinite(v) && (v !== 0 || !/[1-9]/.test(text.split(/[eE]/)[0]!));
}

const BOOL_WORDS = ['true', 'false', 't', 'f', 'yes', 'no'].map((w) => Buffer.from(w));

function booleanBytes(b: Uint8Array, s: number, e: number): boolean {
  const n = e - s;
  for (const w of BOOL_WORDS) {
    if (w.length !== n) continue;
    let ok = true;
    // ASCII lower-casing: | 0x20 maps A-Z to a-z and leaves a-z alone.
    for (let i = 0; i < n && ok; i++) ok = (b[s + i]! | 0x20) === w[i];
    if (ok) return true;
  }
  return false;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** YYYY-MM-DD at s with a real calendar date (year >= 1); returns the index after it, or -1. */
function datePart(b: Uint8Array, s: number, e: number): number {
  if (e - s < 10 || b[s + 4] !== MINUS || b[s + 7] !== MINUS) return -1;
  const hi = two(b, s), lo = two(b, s + 2), month = two(b, s + 5), day = two(b, s + 8);
  if (hi < 0 || lo < 0 || month < 1 || month > 12 || day < 1) return -1;
  const year = hi * 100 + lo;
  if (year < 1 || day > daysInMonth(year, month)) return -1;
  return s + 10;
}

function dateBytes(b: Uint8Array, s: number, e: number): boolean {
  return datePart(b, s, e) === e;
}

/** The date, then optionally [T ]HH:MM[:SS[.ffffff]], then optionally Z or ±HH[[:]MM] (TS_RE plus its range checks). */
function timestampBytes(b: Uint8Array, s: number, e: number): boolean {
  let i = datePart(b, s, e);
  if (i < 0) return false;
  if (i < e && (b[i] === 84 || b[i] === 32)) {
    const hour = two(b, i + 1);
    const minute = e - i >= 6 && b[i + 3] === COLON ? two(b, i + 4) : -1;
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
    i += 6;
    if (i < e && b[i] === COLON) {
      const second = two(b, i + 1);
      if (e - i < 3 || second < 0 || second > 59) return false;
      i += 3;
      if (i < e && b[i] === DOT) {
        i++;
        const start = i;
        while (i < e && i - start < 6 && digit(b, i)) i++;
        if (i === start) return false;
      }
    }
  }
  if (i < e && b[i] === 90) i++;
  else if (i < e && (b[i] === PLUS || b[i] === MINUS)) {
    // TS_RE takes any two digits; Postgres refuses offsets past 15 hours.
    const hours = e - i < 3 ? -1 : two(b, i + 1);
    if (hours < 0 || hours > 15) return false;
    i += 3;
    const colon = i < e && b[i] === COLON;
    if (colon) i++;
    if (colon || i < e) {
      if (e - i < 2 || two(b, i) < 0) return false;
      i += 2;
    }
  }
  return i === e;
}

/** Whether bytes [s, e) (non-empty, untrimmed) are certainly a value `fits(type, …)` accepts. */
export function fitsBytes(type: ColumnType, b: Uint8Array, s: number, e: number): boolean {
  switch (type) {
    case 'text': return true;
    case 'integer': return integerBytes(b, s, e, INT32_MAX);
    case 'bigint': return integerBytes(b, s, e, INT64_MAX);
    case 'double': return doubleBytes(b, s, e);
    case 'boolean': return booleanBytes(b, s, e);
    case 'date': return dateBytes(b, s, e);
    case 'timestamp': return timestampBytes(b, s, e);
  }
}

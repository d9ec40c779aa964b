import { LoomInputError } from '../core/errors.js';

/** Largest backfill range accepted: a year of nightly runs is already 365 runs. */
export const MAX_BACKFILL_MS = 366 * 24 * 3600 * 1000;

function parseInstant(label: string, value: string | Date): Date {
  const d = value instanceof Date ? value : typeof value === 'string' && value.length <= 64 ? new Date(value) : new Date(NaN);
  if (Number.isNaN(d.getTime())) {
    throw new LoomInputError(`Backfill ${label} ${JSON.stringify(String(value).slice(0, 64))} is not a time; use ISO 8601 such as 2025-03-01T00:00:00Z.`);
  }
  return d;
}

/** Validates a backfill range: both ends real times, start before end, at most a year. */
export function backfillRange(start: string | Date, end: string | Date): { start: Date; end: Date } {
  const s = parseInstant('start', start);
  const e = parseInstant('end', end);
  if (e.getTime() <= s.getTime()) {
    throw new LoomInputError(`Backfill end (${e.toISOString()}) must be after its start (${s.toISOString()}); swap them or widen the range.`);
  }
  if (e.getTime() - s.getTime() > MAX_BACKFILL_MS) {
    throw new LoomInputError('A backfill range may span at most 366 days; split it into several backfills.');
  }
  return { start: s, end: e };
}

/** Longest pause/unpause note kept; notes are for people, not payloads. */
export const MAX_NOTE_LENGTH = 500;

/** A note as stored: control characters removed, length bounded. */
export function cleanNote(note: string | undefined, fallback: string): string {
  if (note === undefined || note === null) return fallback;
  if (typeof note !== 'string') throw new LoomInputError('A schedule note must be text.');
  if (note.length > MAX_NOTE_LENGTH) {
    throw new LoomInputError(`A schedule note may be at most ${MAX_NOTE_LENGTH} characters; this one has ${note.length}.`);
  }
  const cleaned = note.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, ' ').trim();
  return cleaned === '' ? fallback : cleaned;
}

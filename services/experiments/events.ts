import type { Database } from '../../db/client.js';
import { BadUserInputError } from '../errors.js';

/**
 * Customer event intake: validates each row, then one multi-row INSERT … ON CONFLICT
 * (idempotency_key) DO NOTHING per batch. The unique key makes retried and concurrent batches
 * harmless: an event is counted once however often it arrives.
 */

export const EVENT_TYPES = ['purchase', 'visit', 'review'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export const MAX_EVENT_BATCH = 10_000;
export const MAX_ID_CHARS = 200;
/** Clocks disagree a little; an event further in the future than this is rejected. */
export const FUTURE_SKEW_MS = 5 * 60_000;
const MIN_TIME_MS = Date.UTC(2000, 0, 1);
const MAX_VALUE = 1e12;

export interface EventInput {
  customerId?: unknown;
  type?: unknown;
  value?: unknown;
  occurredAt?: unknown;
  idempotencyKey?: unknown;
}

export interface ValidEvent {
  customerId: string;
  type: EventType;
  value: number | null;
  occurredAt: Date;
  idempotencyKey: string;
}

export interface RowError {
  index: number;
  field: string;
  message: string;
}

export interface IntakeResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  errors: RowError[];
}

const shown = (v: unknown) => {
  const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

function idField(v: unknown, field: string, index: number, errors: RowError[]): string | undefined {
  if (typeof v !== 'string' || v.length === 0) {
    errors.push({ index, field, message: `${field} is missing; give each event a non-empty string ${field}` });
    return undefined;
  }
  if (v.length > MAX_ID_CHARS) {
    errors.push({ index, field, message: `${field} is ${v.length} characters; at most ${MAX_ID_CHARS} are allowed` });
    return undefined;
  }
  if (v.includes('\0')) {
    errors.push({ index, field, message: `${field} contains a NUL character` });
    return undefined;
  }
  return v;
}

/** Checks one event; returns it normalised or pushes its problems onto `errors`. */
export function validateEvent(e: EventInput, index: number, now: Date, errors: RowError[]): ValidEvent | undefined {
  const before = errors.length;
  if (typeof e !== 'object' || e === null) {
    errors.push({ index, field: 'event', message: 'an event must be an object { customerId, type, value?, occurredAt, idempotencyKey }' });
    return undefined;
  }
  const customerId = idField(e.customerId, 'customerId', index, errors);
  const idempotencyKey = idField(e.idempotencyKey, 'idempotencyKey', index, errors);
  const type = typeof e.type === 'string' && (EVENT_TYPES as readonly string[]).includes(e.type) ? (e.type as EventType) : undefined;
  if (!type) errors.push({ index, field: 'type', message: `unknown event type ${shown(e.type)}; use one of ${EVENT_TYPES.join(', ')}` });
  let value: number | null = null;
  if (e.value !== undefined && e.value !== null) {
    if (typeof e.value !== 'number' || !Number.isFinite(e.value)) errors.push({ index, field: 'value', message: `value must be a number, got ${shown(e.value)}` });
    else if (e.value < 0) errors.push({ index, field: 'value', message: `value must not be negative, got ${e.value}` });
    else if (e.value > MAX_VALUE) errors.push({ index, field: 'value', message: `value ${e.value} is implausibly large (at most ${MAX_VALUE})` });
    else value = e.value;
  }
  let occurredAt: Date | undefined;
  const t = e.occurredAt;
  const parsed = t instanceof Date ? t : typeof t === 'string' && t.length <= 40 && /^\d{4}-\d{2}-\d{2}T/.test(t) ? new Date(t) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime())) {
    errors.push({ index, field: 'occurredAt', message: `occurredAt must be an ISO 8601 timestamp such as "2026-03-01T12:00:00Z", got ${shown(t)}` });
  } else if (parsed.getTime() > now.getTime() + FUTURE_SKEW_MS) {
    errors.push({ index, field: 'occurredAt', message: `occurredAt ${parsed.toISOString()} is in the future (now is ${now.toISOString()}); check the sender's clock` });
  } else if (parsed.getTime() < MIN_TIME_MS) {
    errors.push({ index, field: 'occurredAt', message: `occurredAt ${parsed.toISOString()} is before 2000-01-01; check the time unit` });
  } else occurredAt = parsed;
  if (errors.length > before || !customerId || !idempotencyKey || !type || !occurredAt) return undefined;
  return { customerId, type, value, occurredAt, idempotencyKey };
}

/** Inserts valid events in one statement; returns how many were new. */
export async function insertEvents(db: Pick<Database, 'query'>, events: ValidEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  // One JSON parameter carries the whole batch: a single statement, the same on both drivers.
  const rows = await db.query<{ n: string | number }>(
    `WITH ins AS (
       INSERT INTO customer_events (customer_id, type, value, occurred_at, idempotency_key)
       SELECT customer_id, type, value, occurred_at, idempotency_key
       FROM jsonb_to_recordset($1::jsonb) AS r(customer_id text, type text, value float8, occurred_at timestamptz, idempotency_key text)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING 1
     ) SELECT count(*) AS n FROM ins`,
    [JSON.stringify(events.map((e) => ({ customer_id: e.customerId, type: e.type, value: e.value, occurred_at: e.occurredAt.toISOString(), idempotency_key: e.idempotencyKey })))],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Records a batch of events. Bad rows are reported by index and skipped; the good ones are stored.
 * A batch over the limit or not a list is refused whole.
 */
export async function recordEvents(deps: { db: Database }, events: unknown, opts: { now?: Date } = {}): Promise<IntakeResult> {
  if (!Array.isArray(events)) throw new BadUserInputError('events must be a list of { customerId, type, value?, occurredAt, idempotencyKey }.');
  if (events.length > MAX_EVENT_BATCH) {
    throw new BadUserInputError(`A batch may hold at most ${MAX_EVENT_BATCH} events, got ${events.length}; split it into several calls.`);
  }
  const now = opts.now ?? new Date();
  const errors: RowError[] = [];
  const valid: ValidEvent[] = [];
  events.forEach((e, i) => {
    const v = validateEvent(e as EventInput, i, now, errors);
    if (v) valid.push(v);
  });
  const accepted = await insertEvents(deps.db, valid);
  const rejected = new Set(errors.map((e) => e.index)).size;
  return { accepted, duplicates: valid.length - accepted, rejected, errors: errors.slice(0, 100) };
}

import { LoomInputError } from '../../core/errors.js';
import type { Database } from '../../db/client.js';
import { insertEvents, MAX_EVENT_BATCH, validateEvent, type EventInput, type RowError, type ValidEvent } from '../../services/experiments/events.js';
import { csvRecords, jsonlRecords } from '../ingest/records.js';
import { openSource } from '../ingest/source.js';

/**
 * Customer events from a CSV or JSON Lines file (inside the data roots, or a loopback URL), read
 * with the ingest cell's streaming readers and stored in batches with the same validation and
 * idempotency as `recordEvents`, so importing a file twice stores nothing new.
 * CSV needs a header with customer_id, type, value, occurred_at, idempotency_key (camelCase works too).
 */
export interface ImportEventsInput {
  source: string;
  format: 'csv' | 'jsonl';
  now?: number;
}

export interface ImportEventsOutput {
  read: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** The first 100 problems, with the file's line number. */
  errors: { line: number; field: string; message: string }[];
}

const FIELDS: Record<string, keyof EventInput> = {
  customer_id: 'customerId', customerid: 'customerId', type: 'type', value: 'value',
  occurred_at: 'occurredAt', occurredat: 'occurredAt', idempotency_key: 'idempotencyKey', idempotencykey: 'idempotencyKey',
};

function fromObject(o: Record<string, unknown>): EventInput {
  const e: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    const f = FIELDS[k.toLowerCase()];
    if (f) e[f] = v;
  }
  if (typeof e.value === 'string') e.value = e.value.trim() === '' ? undefined : Number(e.value);
  return e;
}

async function* records(input: ImportEventsInput, dataRoots: string[], signal: AbortSignal): AsyncGenerator<{ line: number; event?: EventInput; error?: string }> {
  const text = await openSource(input.source, dataRoots, signal);
  if (input.format === 'jsonl') {
    for await (const r of jsonlRecords(text)) yield r.error === undefined ? { line: r.line, event: fromObject(r.object) } : { line: r.line, error: r.error };
    return;
  }
  let header: string[] | undefined;
  for await (const r of csvRecords(text, ',')) {
    if (r.error !== undefined) { yield { line: r.line, error: r.error }; continue; }
    if (!header) {
      header = r.fields.map((h) => h.trim());
      const missing = ['customer_id', 'type', 'occurred_at', 'idempotency_key'].filter((f) => !header!.some((h) => FIELDS[h.toLowerCase()] === FIELDS[f]));
      if (missing.length > 0) throw new LoomInputError(`events file ${JSON.stringify(input.source)} has no ${missing.join(', ')} column; the header must name customer_id, type, value, occurred_at, idempotency_key`);
      continue;
    }
    yield { line: r.line, event: fromObject(Object.fromEntries(header.map((h, i) => [h, r.fields[i]]))) };
  }
}

export async function importEvents(db: Database, input: ImportEventsInput, dataRoots: string[], signal: AbortSignal, progress: (read: number) => void = () => {}): Promise<ImportEventsOutput> {
  const now = new Date(input.now ?? Date.now());
  const out: ImportEventsOutput = { read: 0, accepted: 0, duplicates: 0, rejected: 0, errors: [] };
  let batch: ValidEvent[] = [];
  const flush = async () => {
    const n = await insertEvents(db, batch);
    out.accepted += n;
    out.duplicates += batch.length - n;
    batch = [];
    progress(out.read);
  };
  for await (const r of records(input, dataRoots, signal)) {
    out.read++;
    const errors: RowError[] = [];
    const v = r.event ? validateEvent(r.event, out.read - 1, now, errors) : undefined;
    if (r.error !== undefined) errors.push({ index: out.read - 1, field: 'record', message: r.error });
    if (!v) {
      out.rejected++;
      for (const e of errors) if (out.errors.length < 100) out.errors.push({ line: r.line, field: e.field, message: e.message });
      continue;
    }
    batch.push(v);
    if (batch.length >= MAX_EVENT_BATCH / 2) await flush();
  }
  if (batch.length > 0) await flush();
  return out;
}

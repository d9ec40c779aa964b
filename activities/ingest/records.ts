import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';

export const MAX_RECORD_BYTES = 1024 * 1024;
const RAW_LIMIT = 2048;

/** One record from the source: its fields, or why it could not be read. */
export type SourceRecord =
  | { line: number; fields: string[]; error?: undefined }
  | { line: number; error: string; raw: string; fatal?: boolean };

/** Raw text kept for a reject: truncated, and NUL shown as ␀ because Postgres text cannot hold it. */
export function truncateRaw(raw: string): string {
  const cut = raw.length > RAW_LIMIT ? `${raw.slice(0, RAW_LIMIT)}…` : raw;
  return cut.includes('\0') ? cut.replace(/\0/g, '\u2400') : cut;
}

const CSV_REASONS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed (missing ")',
  CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by other characters',
  CSV_MAX_RECORD_SIZE: `the record is larger than ${MAX_RECORD_BYTES / 1024 / 1024} MiB`,
};

/** Streams CSV records with line numbers; malformed records come back as errors instead of stopping the load. */
export async function* csvRecords(text: Readable, delimiter: string): AsyncGenerator<SourceRecord> {
  const parser = parse({
    delimiter, bom: true, info: true, relax_column_count: true, skip_empty_lines: true, relax_quotes: true,
    skip_records_with_error: true, max_record_size: MAX_RECORD_BYTES,
  });
  const skipped: SourceRecord[] = [];
  let lastSkipLine = -1;
  parser.on('skip', (err: Error & { code?: string; lines?: number; record?: unknown }) => {
    // One bad record can raise more than one error; it is one reject.
    if (err.lines === lastSkipLine) return;
    lastSkipLine = err.lines ?? -1;
    const reason = CSV_REASONS[err.code ?? ''] ?? err.message;
    // csv-parse cannot re-synchronise after an oversized record: what follows is lost, so say so.
    skipped.push({ line: err.lines ?? 0, error: reason, raw: truncateRaw(String(err.record ?? '')), fatal: err.code === 'CSV_MAX_RECORD_SIZE' });
  });
  text.on('error', (e) => parser.destroy(e));
  text.pipe(parser);
  let lastLine = 0;
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    while (skipped.length > 0) yield skipped.shift()!;
    // `info.lines` is where the record ends; a record starts on the line after the previous one.
    const line = lastLine + 1;
    lastLine = item.info.lines;
    yield { line, fields: item.record };
  }
  while (skipped.length > 0) yield skipped.shift()!;
}

/** One JSON Lines record: the parsed object, or why the line is not one. */
export type JsonRecord =
  | { line: number; object: Record<string, unknown>; error?: undefined }
  | { line: number; error: string; raw: string };

/** Streams JSON Lines; blank lines are skipped, anything but a JSON object per line is a reject. */
export async function* jsonlRecords(text: Readable): AsyncGenerator<JsonRecord> {
  const rl = readline.createInterface({ input: text, crlfDelay: Infinity });
  let line = 0;
  for await (let raw of rl) {
    line++;
    if (line === 1 && raw.charCodeAt(0) === 0xfeff) raw = raw.slice(1);
    if (raw.trim() === '') continue;
    if (raw.length > MAX_RECORD_BYTES) {
      yield { line, error: CSV_REASONS.CSV_MAX_RECORD_SIZE!, raw: truncateRaw(raw) };
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      yield { line, error: `not valid JSON (${(e as Error).message})`, raw: truncateRaw(raw) };
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      yield { line, error: 'each line must be a JSON object ({ … })', raw: truncateRaw(raw) };
      continue;
    }
    yield { line, object: value as Record<string, unknown> };
  }
}

/** A JSON value as the text a column stores: nested values stay JSON. */
export function jsonFieldText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

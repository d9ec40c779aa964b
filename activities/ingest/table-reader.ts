import type { Readable } from 'node:stream';
import { LoomInputError } from '../../core/errors.js';
import type { IngestConfig } from '../../kinds/ingest.js';
import { csvRecords, jsonFieldText, jsonlRecords, truncateRaw, type SourceRecord } from './records.js';

export const SAMPLE_ROWS = 1000;

/** A source seen as a table: header names, the sampled first records, and the rest still streaming. */
export interface TableReader {
  headers: string[];
  sample: SourceRecord[];
  rest: AsyncIterator<SourceRecord>;
}

async function takeSample(it: AsyncIterator<SourceRecord>, n: number): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  while (out.length < n) {
    const r = await it.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

function declaredNames(schema: IngestConfig['schema']): string[] | undefined {
  if (!schema) return undefined;
  return Array.isArray(schema) ? schema.map((c) => c.name) : Object.keys(schema);
}

export async function openCsvTable(text: Readable, cfg: IngestConfig): Promise<TableReader> {
  const it = csvRecords(text, cfg.delimiter)[Symbol.asyncIterator]();
  let headers: string[];
  if (cfg.header) {
    const first = await it.next();
    if (first.done) throw new LoomInputError('The CSV file is empty: expected a header row. Set `header: false` for files without one.');
    if (first.value.error !== undefined) throw new LoomInputError(`The header row (line ${first.value.line}) cannot be read: ${first.value.error}.`);
    headers = first.value.fields;
    const sample = await takeSample(it, SAMPLE_ROWS);
    return { headers, sample, rest: it };
  }
  const sample = await takeSample(it, SAMPLE_ROWS);
  const declared = declaredNames(cfg.schema);
  if (declared) headers = declared;
  else {
    const firstGood = sample.find((r) => r.error === undefined);
    if (!firstGood || firstGood.error !== undefined) throw new LoomInputError('The CSV file has no readable rows, so its columns are unknown.');
    headers = firstGood.fields.map((_, i) => `col_${i + 1}`);
  }
  return { headers, sample, rest: it };
}

/** JSON Lines: columns are the keys seen in the first rows, in order of first appearance. */
export async function openJsonlTable(text: Readable): Promise<TableReader> {
  const src = jsonlRecords(text)[Symbol.asyncIterator]();
  const rawSample: Awaited<ReturnType<typeof src.next>>['value'][] = [];
  while (rawSample.length < SAMPLE_ROWS) {
    const r = await src.next();
    if (r.done) break;
    rawSample.push(r.value);
  }
  const keys = new Map<string, number>();
  for (const r of rawSample) {
    if (r && r.error === undefined) for (const k of Object.keys(r.object)) if (!keys.has(k)) keys.set(k, keys.size);
  }
  if (keys.size === 0) throw new LoomInputError('The JSON Lines file has no readable objects, so its columns are unknown.');
  const headers = [...keys.keys()];
  const toRecord = (r: (typeof rawSample)[number]): SourceRecord => {
    if (!r) return { line: 0, error: 'missing record', raw: '' };
    if (r.error !== undefined) return r;
    const fields = new Array<string>(headers.length).fill('');
    for (const [k, v] of Object.entries(r.object)) {
      const i = keys.get(k);
      if (i === undefined) return { line: r.line, error: `field ${JSON.stringify(k.slice(0, 60))} did not appear in the first ${SAMPLE_ROWS} lines`, raw: truncateRaw(JSON.stringify(r.object)) };
      fields[i] = jsonFieldText(v);
    }
    return { line: r.line, fields };
  };
  const rest: AsyncIterator<SourceRecord> = {
    async next() {
      const r = await src.next();
      return r.done ? { done: true, value: undefined } : { done: false, value: toRecord(r.value) };
    },
  };
  return { headers, sample: rawSample.map(toRecord), rest };
}

import { MIME, type JsonValue, type MimeBundle } from '../core/mime.js';
import { escapeHtml, escapeMarkdown, htmlTable } from './html.js';

export interface DatasetOutputColumn {
  name: string;
  originalName?: string;
  type: string;
  nullable: boolean;
  pii?: boolean;
}

export interface DatasetOutputProfile {
  name: string;
  nulls: number;
  distinct: number;
  min: string | null;
  max: string | null;
}

export interface DatasetOutputInput {
  datasetId: string;
  table: string;
  rows: number;
  rejectCount: number;
  columns: readonly DatasetOutputColumn[];
  sample: readonly (readonly (string | null)[])[];
  profile: readonly DatasetOutputProfile[];
  rejects: readonly { line: number; reason: string; raw: string }[];
}

const SHOWN_REJECTS = 20;
const CELL_CHARS = 200;

function clip(v: string | null): string | null {
  return v !== null && v.length > CELL_CHARS ? `${v.slice(0, CELL_CHARS)}…` : v;
}

function bundle(kind: string, html: string, json: JsonValue): MimeBundle {
  return { data: { [MIME.html]: html, [MIME.json]: json }, metadata: { loom: kind } };
}

/** The outputs of a cell that produced a dataset: summary, schema, sample, profile and rejects. */
export function renderDatasetOutputs(d: DatasetOutputInput): MimeBundle[] {
  const summaryMd = `**${d.rows.toLocaleString('en-US')}** rows loaded into \`${escapeMarkdown(d.table)}\`, `
    + `**${d.rejectCount.toLocaleString('en-US')}** rejected; ${d.columns.length} columns: `
    + d.columns.map((c) => `${escapeMarkdown(c.name)} (${c.type})`).join(', ');
  const summaryJson = { dataset: d.datasetId, table: d.table, rows: d.rows, rejects: d.rejectCount, columns: d.columns.length };
  const summaryHtml = `<p><strong>${d.rows.toLocaleString('en-US')}</strong> rows loaded into <code>${escapeHtml(d.table)}</code>, `
    + `<strong>${d.rejectCount.toLocaleString('en-US')}</strong> rejected, ${d.columns.length} columns.</p>`;
  const outputs: MimeBundle[] = [
    { data: { [MIME.markdown]: summaryMd, [MIME.html]: summaryHtml, [MIME.json]: summaryJson }, metadata: { loom: 'summary' } },
    bundle('schema',
      htmlTable(['column', 'type', 'nullable', 'from header', 'pii'], d.columns.map((c) => [c.name, c.type, c.nullable ? 'yes' : 'no', c.originalName ?? c.name, c.pii ? 'hashed' : ''])),
      d.columns.map((c) => ({ name: c.name, originalName: c.originalName ?? c.name, type: c.type, nullable: c.nullable, pii: c.pii ?? false }))),
    bundle('sample',
      htmlTable(d.columns.map((c) => c.name), d.sample.map((r) => r.map(clip))),
      { columns: d.columns.map((c) => c.name), rows: d.sample.map((r) => r.map(clip)) }),
    bundle('profile',
      htmlTable(['column', 'nulls', 'distinct', 'min', 'max'], d.profile.map((p) => [p.name, p.nulls, p.distinct, clip(p.min), clip(p.max)])),
      d.profile.map((p) => ({ name: p.name, nulls: p.nulls, distinct: p.distinct, min: clip(p.min), max: clip(p.max) }))),
  ];
  if (d.rejectCount > 0) {
    const shown = d.rejects.slice(0, SHOWN_REJECTS);
    outputs.push(bundle('rejects',
      htmlTable(['line', 'reason', 'raw'], shown.map((r) => [r.line, r.reason, clip(r.raw)])),
      { total: d.rejectCount, rejects: shown.map((r) => ({ line: r.line, reason: r.reason, raw: clip(r.raw) })) }));
  }
  return outputs;
}

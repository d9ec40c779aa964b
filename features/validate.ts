import { toBoolean, toNumber } from './coerce.js';
import type { FeatureTransform } from './transform-types.js';

/** One problem with one input row, worded for the person who sent it. */
export interface RowIssue {
  /** 0-based index of the row in the request. */
  row: number;
  /** The column concerned; empty when the row itself is wrong. */
  column: string;
  message: string;
}

/** Issues reported per call; past this the caller has enough to fix. */
export const MAX_ROW_ISSUES = 100;
const MAX_TEXT_CHARS = 100_000;

type Kind = 'numeric' | 'categorical' | 'boolean' | 'text';

export function inputColumns(t: FeatureTransform): Map<string, Kind> {
  const m = new Map<string, Kind>();
  for (const n of t.numeric) m.set(n.column, 'numeric');
  for (const c of t.categorical) m.set(c.column, 'categorical');
  for (const b of t.boolean) m.set(b, 'boolean');
  for (const c of t.text.columns) m.set(c, 'text');
  return m;
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : String(v);
  return s;
}

function typeProblem(kind: Kind, v: unknown): string | null {
  if (v === null) return null;
  switch (kind) {
    case 'numeric': return toNumber(v) === null || typeof v === 'boolean' ? `expects a number, got ${show(v)}` : null;
    case 'boolean': return toBoolean(v) === null ? `expects true or false, got ${show(v)}` : null;
    case 'categorical': return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? null : `expects a category (text or number), got ${show(v)}`;
    case 'text':
      if (typeof v !== 'string') return `expects text, got ${show(v)}`;
      return v.length > MAX_TEXT_CHARS ? `text is ${v.length} characters; at most ${MAX_TEXT_CHARS} are accepted` : null;
  }
}

/**
 * Checks rows against what the transform was fitted on: every feature column present (null means
 * missing and is allowed), no unknown columns, values of the right type. The label and id
 * columns the model was trained with are accepted and ignored.
 */
export function validateRows(t: FeatureTransform, rows: readonly unknown[]): RowIssue[] {
  const columns = inputColumns(t);
  const ignored = new Set([t.label?.column, t.id].filter((c): c is string => c !== undefined));
  const issues: RowIssue[] = [];
  const add = (i: RowIssue) => issues.length < MAX_ROW_ISSUES && issues.push(i);
  rows.forEach((row, i) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      add({ row: i, column: '', message: `row ${i} must be an object of column: value, got ${show(row)}` });
      return;
    }
    const r = row as Record<string, unknown>;
    for (const key of Object.keys(r)) {
      if (!columns.has(key) && !ignored.has(key)) {
        add({ row: i, column: key, message: `row ${i}: unknown column ${show(key)}; the model takes ${[...columns.keys()].join(', ')}` });
      }
    }
    for (const [column, kind] of columns) {
      if (!Object.hasOwn(r, column)) {
        add({ row: i, column, message: `row ${i}: column ${show(column)} is missing; send null if the value is unknown` });
        continue;
      }
      const p = typeProblem(kind, r[column]);
      if (p) add({ row: i, column, message: `row ${i}: column ${show(column)} ${p}` });
    }
  });
  return issues;
}

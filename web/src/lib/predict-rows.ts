/** Limits of the "try it" form: well under the API's own body and batch limits. */
export const MAX_ROWS_TEXT = 64 * 1024;
export const MAX_ROWS = 100;
export const MAX_COLUMNS = 200;

export type RowsResult = { ok: true; rows: Array<Record<string, string | number | boolean | null>> } | { ok: false; error: string };

const isPlainValue = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/**
 * Reads the JSON typed into the predict form: one object or a list of objects whose values are
 * strings, numbers, booleans or null. Says what is wrong and how to fix it.
 */
export function parseRows(text: string): RowsResult {
  if (text.length > MAX_ROWS_TEXT) return { ok: false, error: `The rows are ${Math.ceil(text.length / 1024)} KiB; paste at most ${MAX_ROWS_TEXT / 1024} KiB (about ${MAX_ROWS} rows).` };
  if (!text.trim()) return { ok: false, error: 'Type at least one row, e.g. {"age": 34, "channel": "web"}.' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `The rows are not valid JSON (${(err as Error).message}). Use double quotes around names and text.` };
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) return { ok: false, error: 'The list is empty; add at least one row object.' };
  if (list.length > MAX_ROWS) return { ok: false, error: `${list.length} rows is too many for a try; send at most ${MAX_ROWS}.` };
  for (const [i, row] of list.entries()) {
    const where = Array.isArray(value) ? `Row ${i + 1}` : 'The row';
    if (!row || typeof row !== 'object' || Array.isArray(row)) return { ok: false, error: `${where} must be an object of column: value, e.g. {"age": 34}.` };
    const entries = Object.entries(row as Record<string, unknown>);
    if (entries.length > MAX_COLUMNS) return { ok: false, error: `${where} has ${entries.length} columns; at most ${MAX_COLUMNS}.` };
    const bad = entries.find(([, v]) => !isPlainValue(v));
    if (bad) return { ok: false, error: `${where}: column "${bad[0].slice(0, 40)}" must be text, a number, true/false or null, not a nested value.` };
  }
  return { ok: true, rows: list as Array<Record<string, string | number | boolean | null>> };
}

/** A starting row for the editor from the model's feature spec: every raw column it reads. */
export function exampleRow(featureSpec: unknown): Record<string, string | number | boolean> {
  const row: Record<string, string | number | boolean> = {};
  if (!featureSpec || typeof featureSpec !== 'object') return row;
  const spec = featureSpec as { numeric?: unknown; categorical?: unknown; boolean?: unknown; text?: unknown };
  const list = (v: unknown) => (Array.isArray(v) ? v : []);
  for (const n of list(spec.numeric)) if (n && typeof n === 'object' && typeof (n as { column?: unknown }).column === 'string') row[(n as { column: string }).column] = Math.round(Number((n as { mean?: unknown }).mean) || 0);
  for (const c of list(spec.categorical)) {
    if (!c || typeof c !== 'object') continue;
    const { column, values } = c as { column?: unknown; values?: unknown };
    if (typeof column === 'string') row[column] = String(list(values)[0] ?? '');
  }
  for (const b of list(spec.boolean)) if (typeof b === 'string') row[b] = true;
  const text = spec.text as { columns?: unknown } | null | undefined;
  for (const t of list(text?.columns)) if (typeof t === 'string') row[t] = '';
  return row;
}

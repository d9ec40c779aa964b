import crypto from 'node:crypto';

const MAX_IDENT = 63;

/** Deterministic per (run, cell), so a retried attempt finds and replaces its own table. */
export function datasetTableName(runId: string, cellId: string): string {
  return 'ds_' + crypto.createHash('sha256').update(`${runId}/${cellId}`).digest('hex').slice(0, 24);
}

/** Turns header text from a user's file into safe, unique, lowercase snake_case identifiers. */
export function sanitizeColumnNames(headers: readonly string[]): string[] {
  const used = new Set<string>();
  return headers.map((h, i) => {
    let base = h.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
    if (base === '') base = `col_${i + 1}`;
    if (/^[0-9]/.test(base)) base = `c_${base}`;
    base = base.slice(0, MAX_IDENT).replace(/_+$/, '');
    let name = base;
    for (let n = 2; used.has(name); n++) {
      const suffix = `_${n}`;
      name = base.slice(0, MAX_IDENT - suffix.length) + suffix;
    }
    used.add(name);
    return name;
  });
}

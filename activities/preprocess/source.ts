import { LoomInputError } from '../../core/errors.js';
import type { CellResult } from '../../core/run-plan.js';
import type { Database } from '../../db/client.js';
import type { DatasetColumn } from '../../db/schema/datasets.js';
import type { StoredColumn } from '../ingest/store.js';

/** The dataset a preprocess cell reads: its table and typed columns. */
export interface SourceDataset {
  cellId: string;
  datasetId: string;
  tableName: string;
  rowCount: number;
  columns: (DatasetColumn & { originalName?: string })[];
}

/**
 * `from`, or else the first upstream cell (direct needs come first) that produced a dataset and
 * is not itself a feature table.
 */
export function pickSourceCell(upstream: Record<string, CellResult>, from: string | undefined): { cellId: string; datasetId: string } {
  if (from !== undefined) {
    const r = upstream[from];
    if (!r) throw new LoomInputError(`from: "${from}" is not an upstream cell of this one; add it to needs=[…] or name one of: ${Object.keys(upstream).join(', ') || '(none)'}.`);
    const ds = r.values.dataset;
    if (typeof ds !== 'string') throw new LoomInputError(`from: cell "${from}" produced no dataset; point from at an ingest or sql cell.`);
    return { cellId: from, datasetId: ds };
  }
  for (const [cellId, r] of Object.entries(upstream)) {
    if (typeof r.values.dataset === 'string' && r.values.transform === undefined) return { cellId, datasetId: r.values.dataset };
  }
  throw new LoomInputError('No upstream cell produced a dataset; add an ingest or sql cell to needs=[…] or set from: <cell id>.');
}

export async function loadSource(db: Database, pick: { cellId: string; datasetId: string }): Promise<SourceDataset> {
  const rows = await db.query<{ table_name: string; row_count: string | number; columns: SourceDataset['columns'] | string }>(
    'SELECT table_name, row_count, columns FROM datasets WHERE id = $1', [pick.datasetId]);
  const r = rows[0];
  if (!r) throw new LoomInputError(`Dataset ${JSON.stringify(pick.datasetId.slice(0, 100))} of cell "${pick.cellId}" does not exist; rerun that cell.`);
  const columns = typeof r.columns === 'string' ? JSON.parse(r.columns) as SourceDataset['columns'] : r.columns;
  return { cellId: pick.cellId, datasetId: pick.datasetId, tableName: r.table_name, rowCount: Number(r.row_count), columns };
}

/** Finds a column by its stored name or the header text it came from. */
export function resolveColumn(src: SourceDataset, name: string, field: string): DatasetColumn {
  const c = src.columns.find((x) => x.name === name) ?? src.columns.find((x) => (x as StoredColumn).originalName === name);
  if (!c) {
    const names = src.columns.map((x) => x.name).join(', ');
    throw new LoomInputError(`${field}: column ${JSON.stringify(name.slice(0, 100))} is not in dataset "${src.cellId}". Its columns are: ${names}.`);
  }
  return c;
}

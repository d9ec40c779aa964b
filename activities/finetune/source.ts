import fs from 'node:fs';
import path from 'node:path';
import { LoomInputError } from '../../core/errors.js';
import type { CellResult } from '../../core/run-plan.js';
import type { FeatureShape } from '../../features/types.js';

export interface FeatureSource {
  cellId: string;
  table: string;
  transformPath: string;
  shape: FeatureShape;
  /** The fitted transform JSON as written by preprocess, embedded into the model file. */
  transform: unknown;
}

const MAX_TRANSFORM_BYTES = 64 * 1024 * 1024;

/** The preprocess cell to train on: `from`, else the one upstream cell whose values include `transform`. */
export function pickFeatureCell(upstream: Record<string, CellResult>, from: string | undefined): { cellId: string; values: CellResult['values'] } {
  if (from !== undefined) {
    const r = upstream[from];
    if (!r) throw new LoomInputError(`from: "${from}" is not upstream of this cell. Add it to the cell's needs, or name a preprocess cell it depends on.`);
    if (typeof r.values.transform !== 'string') throw new LoomInputError(`from: cell "${from}" did not produce a feature transform; point from at a preprocess cell.`);
    return { cellId: from, values: r.values };
  }
  const candidates = Object.entries(upstream).filter(([, r]) => typeof r.values.transform === 'string');
  if (candidates.length === 0) throw new LoomInputError('finetune needs an upstream preprocess cell (one whose values include a transform); add one and list it in needs.');
  if (candidates.length > 1) throw new LoomInputError(`Several upstream cells produced a feature transform (${candidates.map(([id]) => id).join(', ')}); say which one with from: <cell id>.`);
  const [cellId, r] = candidates[0]!;
  return { cellId, values: r.values };
}

function count(values: CellResult['values'], key: string, cellId: string): number {
  const v = values[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new LoomInputError(`Cell "${cellId}" reported no valid ${key}; rerun it (finetune needs a preprocess cell's outputs).`);
  return v;
}

/** Resolves table, shape and transform of the chosen preprocess cell; the transform must lie under artifactsDir. */
export async function loadFeatureSource(upstream: Record<string, CellResult>, from: string | undefined, artifactsDir: string): Promise<FeatureSource> {
  const { cellId, values } = pickFeatureCell(upstream, from);
  const table = values.table ?? values.dataset;
  if (typeof table !== 'string') throw new LoomInputError(`Cell "${cellId}" reported no feature table; rerun it.`);
  const transformPath = path.resolve(String(values.transform));
  const root = path.resolve(artifactsDir) + path.sep;
  if (!transformPath.startsWith(root)) throw new LoomInputError(`The transform of cell "${cellId}" is outside this installation's artifacts directory; only transforms written by preprocess cells can be used.`);
  let text: string;
  try {
    const st = await fs.promises.stat(transformPath);
    if (st.size > MAX_TRANSFORM_BYTES) throw new LoomInputError(`The transform of cell "${cellId}" is ${st.size} bytes, more than ${MAX_TRANSFORM_BYTES}; reduce its vocabulary.`);
    text = await fs.promises.readFile(transformPath, 'utf8');
  } catch (err) {
    if (err instanceof LoomInputError) throw err;
    throw new LoomInputError(`Cannot read the transform of cell "${cellId}" (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); rerun that preprocess cell.`);
  }
  let transform: unknown;
  try {
    transform = JSON.parse(text);
  } catch {
    throw new LoomInputError(`The transform of cell "${cellId}" is not valid JSON; rerun that preprocess cell.`);
  }
  const denseDim = count(values, 'denseDim', cellId);
  const maxTokens = count(values, 'maxTokens', cellId);
  const textBuckets = count(values, 'textBuckets', cellId);
  const names = (transform as { denseNames?: unknown } | null)?.denseNames;
  const denseNames = Array.isArray(names) && names.length === denseDim ? names.map(String) : Array.from({ length: denseDim }, (_, i) => `f${i}`);
  if (denseDim === 0 && maxTokens === 0) throw new LoomInputError(`Cell "${cellId}" produced no features (no dense columns and no text); give preprocess some feature columns.`);
  if (maxTokens > 0 && textBuckets < 1) throw new LoomInputError(`Cell "${cellId}" has text tokens but 0 text buckets; rerun it.`);
  return { cellId, table, transformPath, transform, shape: { denseDim, maxTokens, textBuckets, denseNames } };
}

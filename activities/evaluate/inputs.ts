import fs from 'node:fs';
import { LoomInputError } from '../../core/errors.js';
import type { CellResult } from '../../core/run-plan.js';
import type { Database } from '../../db/client.js';
import { parseTransform, type FeatureTransform } from '../../features/index.js';

/** `model`, or else the first upstream cell (direct needs first) that produced a model file. */
export function pickModel(upstream: Record<string, CellResult>, model: string | undefined): { path: string; cellId?: string } {
  if (model !== undefined) return { path: model };
  for (const [cellId, r] of Object.entries(upstream)) {
    if (typeof r.values.model === 'string' && typeof r.values.sha256 === 'string') return { path: r.values.model, cellId };
  }
  throw new LoomInputError('No upstream finetune cell produced a model; add one to needs=[…] or set model: ${cells.<finetune cell>.model}.');
}

export interface FeatureSource { cellId?: string; table: string; transformPath?: string }

/** `features` (a preprocess cell id or its feature table), or else the first upstream preprocess cell. */
export function pickFeatures(upstream: Record<string, CellResult>, features: string | undefined): FeatureSource {
  const fromCell = (cellId: string, r: CellResult): FeatureSource => {
    if (typeof r.values.table !== 'string' || typeof r.values.transform !== 'string') {
      throw new LoomInputError(`features: cell "${cellId}" did not produce a feature table; point features at a preprocess cell.`);
    }
    return { cellId, table: r.values.table, transformPath: r.values.transform };
  };
  if (features !== undefined) {
    const r = upstream[features];
    if (r) return fromCell(features, r);
    if (/^(loom_data\.)?ds_[0-9a-f]{24}$/.test(features)) return { table: features };
    throw new LoomInputError(`features: "${features.slice(0, 100)}" is neither an upstream cell nor a feature table; name the preprocess cell the model was trained on.`);
  }
  for (const [cellId, r] of Object.entries(upstream)) {
    if (typeof r.values.transform === 'string' && typeof r.values.table === 'string') return fromCell(cellId, r);
  }
  throw new LoomInputError('No upstream preprocess cell; add the one the model was trained on to needs=[…] or set features: <cell id>.');
}

/** The transform embedded in the model, else the preprocess cell's file; null when neither is readable. */
export async function loadTransform(embedded: unknown, file: string | undefined): Promise<FeatureTransform | null> {
  try {
    if (embedded !== null && embedded !== undefined) return parseTransform(embedded);
  } catch { /* fall back to the file */ }
  if (!file) return null;
  try {
    return parseTransform(await fs.promises.readFile(file, 'utf8'));
  } catch {
    return null;
  }
}

export interface Champion { version: number; auc: number | null }

/** The champion version of a registered model and its stored test AUC; null when there is none. */
export async function championOf(db: Database, modelName: string): Promise<Champion | null> {
  const rows = await db.query<{ version: number; metrics: Record<string, unknown> | string }>(
    `SELECT v.version, v.metrics FROM models m
       JOIN model_aliases a ON a.model_id = m.id AND a.alias = 'champion'
       JOIN model_versions v ON v.id = a.version_id
     WHERE m.name = $1`, [modelName]);
  const r = rows[0];
  if (!r) return null;
  const metrics = typeof r.metrics === 'string' ? JSON.parse(r.metrics) as Record<string, unknown> : r.metrics;
  const auc = metrics.auc;
  return { version: Number(r.version), auc: typeof auc === 'number' && Number.isFinite(auc) ? auc : null };
}

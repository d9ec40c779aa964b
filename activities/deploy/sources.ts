import { eq } from 'drizzle-orm';
import { LoomInputError } from '../../core/errors.js';
import type { JsonValue } from '../../core/mime.js';
import { datasets } from '../../db/schema/datasets.js';
import { runCells } from '../../db/schema/cells.js';
import { runs } from '../../db/schema/runs.js';
import type { CellContext } from '../types.js';
import type { DeployConfig } from '../../kinds/deploy.js';

/** Metric names copied from an evaluate cell's values into the registry. */
const METRIC_KEYS = ['auc', 'pr_auc', 'log_loss', 'brier', 'accuracy', 'precision', 'recall', 'f1', 'threshold', 'passed', 'valAuc', 'valLoss', 'epochs', 'bestEpoch'];

export interface DeploySources {
  /** Cell that produced the model and the path it handed over. */
  modelCell: string;
  modelPath: string;
  metrics: Record<string, JsonValue>;
  datasetId: string | null;
  datasetHash: string | null;
  notebookVersionId: string | null;
  params: Record<string, JsonValue>;
}

/**
 * The upstream cells a deploy draws on. The kind of each upstream cell comes from the run's
 * cells in Postgres; "nearest" is the latest in notebook order among the cell's ancestors.
 */
export async function findSources(ctx: CellContext<DeployConfig>): Promise<DeploySources> {
  const cells = await ctx.db.orm.select({ cellId: runCells.cellId, kind: runCells.kind, position: runCells.position })
    .from(runCells).where(eq(runCells.runId, ctx.runId));
  const ancestors = cells.filter((c) => Object.hasOwn(ctx.upstream, c.cellId)).sort((a, b) => b.position - a.position);
  const nearest = (kinds: string[]) => ancestors.find((c) => kinds.includes(c.kind))?.cellId;
  const valuesOf = (id: string) => ctx.upstream[id]?.values ?? {};

  const modelCell = ctx.config.from ?? nearest(['finetune']);
  if (!modelCell) {
    throw new LoomInputError(`cell "${ctx.cellId}": no finetune cell upstream to deploy; add it to needs, or name the cell that produced the model with \`from: <cell id>\`.`);
  }
  if (!Object.hasOwn(ctx.upstream, modelCell)) {
    throw new LoomInputError(`cell "${ctx.cellId}": from: "${modelCell}" is not upstream of this cell; add it to needs=[…].`);
  }
  const modelPath = valuesOf(modelCell).model;
  if (typeof modelPath !== 'string' || modelPath.length === 0) {
    throw new LoomInputError(`cell "${ctx.cellId}": cell "${modelCell}" produced no \`model\` file to deploy; point \`from\` at a finetune cell.`);
  }

  const evalCell = ctx.config.evaluation ?? nearest(['evaluate']);
  if (evalCell !== undefined && !Object.hasOwn(ctx.upstream, evalCell)) {
    throw new LoomInputError(`cell "${ctx.cellId}": evaluation: "${evalCell}" is not upstream of this cell; add it to needs=[…].`);
  }
  const metrics: Record<string, JsonValue> = {};
  for (const source of [valuesOf(modelCell), evalCell ? valuesOf(evalCell) : {}]) {
    for (const key of METRIC_KEYS) {
      const v = source[key];
      if (typeof v === 'number' || typeof v === 'boolean') metrics[key] = v;
    }
  }

  // Lineage: the feature table the model was trained on (preprocess), else the raw dataset.
  const dataCell = [nearest(['preprocess']), nearest(['ingest', 'sql'])].find((id) => id !== undefined && typeof valuesOf(id).dataset === 'string');
  const datasetId = dataCell ? String(valuesOf(dataCell).dataset) : null;
  let datasetHash: string | null = null;
  if (datasetId) {
    const [ds] = await ctx.db.orm.select({ hash: datasets.contentHash }).from(datasets).where(eq(datasets.id, datasetId)).limit(1);
    datasetHash = ds?.hash ?? null;
  }
  const [run] = await ctx.db.orm.select({ nbv: runs.notebookVersionId, params: runs.params }).from(runs).where(eq(runs.id, ctx.runId)).limit(1);
  return { modelCell, modelPath, metrics, datasetId, datasetHash, notebookVersionId: run?.nbv ?? null, params: run?.params ?? {} };
}

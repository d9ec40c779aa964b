import { applyTransform } from '../../features/index.js';
import type { ModelVersion } from '../../db/schema/models.js';
import type { DbDeps } from '../deps.js';
import { BadUserInputError } from '../errors.js';
import type { VersionSelector } from '../models.js';
import { AliasCache } from './alias-cache.js';
import { ModelCache } from './model-cache.js';
import { checkRows, DEFAULT_MAX_BATCH_ROWS } from './rows.js';

export interface ServingOptions {
  /** Sessions kept loaded. @default 8 */
  maxModels?: number;
  /** How long an alias lookup is reused. @default 1000 */
  aliasTtlMs?: number;
  /** Rows per `predict` call. @default 1000 */
  maxBatchRows?: number;
}

export interface Prediction { probability: number; label: number }

export interface PredictResult {
  model: string;
  version: number;
  versionId: string;
  alias: string | null;
  /** Probability at or above which `label` is 1: the evaluate cell's chosen threshold, else 0.5. */
  threshold: number;
  predictions: Prediction[];
}

/** The threshold the version was evaluated at. */
export function thresholdOf(v: ModelVersion): number {
  const t = v.metrics.threshold;
  return typeof t === 'number' && t >= 0 && t <= 1 ? t : 0.5;
}

/** Online predictions from registered model versions, with sessions cached in this process. */
export class Serving {
  readonly models: ModelCache;
  readonly aliases: AliasCache;
  readonly maxBatchRows: number;

  constructor(opts: ServingOptions = {}) {
    this.models = new ModelCache(opts.maxModels ?? 8);
    this.aliases = new AliasCache(opts.aliasTtlMs ?? 1_000);
    this.maxBatchRows = opts.maxBatchRows ?? DEFAULT_MAX_BATCH_ROWS;
  }

  async predict(deps: DbDeps, model: string, selector: VersionSelector, rows: unknown): Promise<PredictResult> {
    if (selector.alias !== undefined && selector.version !== undefined) {
      throw new BadUserInputError('Give either alias or version, not both.');
    }
    // Cheap checks first, so an oversized request never touches the database.
    if (Array.isArray(rows) && rows.length > this.maxBatchRows) {
      throw new BadUserInputError(`rows has ${rows.length} rows; at most ${this.maxBatchRows} are accepted per request. Split the batch.`, { maxRows: this.maxBatchRows });
    }
    const version = await this.aliases.resolve(deps, model, selector);
    return this.models.use(version, async (served) => {
      const checked = checkRows(rows, served.transform, version.modelName, version.version, this.maxBatchRows);
      const probs = checked.length === 0 ? new Float32Array(0) : await served.model.predict(applyTransform(served.transform, checked));
      const threshold = thresholdOf(version);
      return {
        model: version.modelName,
        version: version.version,
        versionId: version.id,
        alias: selector.alias ?? null,
        threshold,
        predictions: Array.from(probs, (p) => ({ probability: p, label: p >= threshold ? 1 : 0 })),
      };
    });
  }

  async close(): Promise<void> {
    this.aliases.close();
    await this.models.close();
  }
}

let shared: Serving | undefined;

/** The process's serving instance (the API's): one session cache for every request. */
export function sharedServing(): Serving {
  shared ??= new Serving();
  return shared;
}

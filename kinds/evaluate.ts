import { z } from 'zod';
import { TASK_QUEUES } from '../core/queues.js';
import { DEFAULT_RETRY, type KindSpec } from './types.js';

/** Metrics a gate may name; `auc` is ROC AUC, `pr_auc` average precision. */
export const GATE_METRICS = ['auc', 'pr_auc', 'log_loss', 'brier', 'accuracy', 'precision', 'recall', 'f1'] as const;
export type GateMetric = (typeof GATE_METRICS)[number];
export type GateOp = '>=' | '<=' | '>' | '<';
export interface GateRule { metric: GateMetric; op: GateOp; value: number }

const COMPARATOR = /^(>=|<=|>|<)\s*(-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)$/i;

/** Parses `">= 0.85"`; null when the text is not a comparison. */
export function parseComparator(text: string): { op: GateOp; value: number } | null {
  const m = COMPARATOR.exec(text.trim());
  if (!m) return null;
  const value = Number(m[2]);
  return Number.isFinite(value) ? { op: m[1] as GateOp, value } : null;
}

const requireSchema = z.record(z.string().max(100), z.union([z.string().max(100), z.number()]))
  .superRefine((rules, ctx) => {
    for (const [metric, text] of Object.entries(rules)) {
      if (!(GATE_METRICS as readonly string[]).includes(metric)) {
        ctx.addIssue({ code: 'custom', path: [metric], message: `unknown metric "${metric.slice(0, 40)}"; gates can use ${GATE_METRICS.join(', ')}` });
      } else if (typeof text !== 'string' || !parseComparator(text)) {
        ctx.addIssue({ code: 'custom', path: [metric], message: `write the requirement as a comparison such as ">= 0.85" or "<= 0.4" (got ${JSON.stringify(String(text).slice(0, 40))})` });
      }
    }
  })
  .transform((rules): GateRule[] => Object.entries(rules).map(([metric, text]) => ({ metric: metric as GateMetric, ...parseComparator(String(text))! })));

export const evaluateConfigSchema = z.strictObject({
  /** Path of the model `.onnx` (usually `${cells.<finetune>.model}`); default the nearest upstream finetune cell's. */
  model: z.string().min(1).max(4096).optional(),
  /** Preprocess cell id (or its feature table) to evaluate on; default the upstream preprocess cell. */
  features: z.string().min(1).max(200).optional(),
  threshold: z.strictObject({
    strategy: z.enum(['max_f1', 'precision'], { error: 'threshold.strategy is max_f1 or precision' }).default('max_f1'),
    /** Target precision for `strategy: precision`. */
    target: z.number().gt(0).max(1).optional(),
  }).refine((t) => t.strategy !== 'precision' || t.target !== undefined, 'strategy precision needs a target, e.g. target: 0.9')
    .default({ strategy: 'max_f1' }),
  /** Gates on test metrics, e.g. `{ auc: ">= 0.85", log_loss: "<= 0.4" }`. */
  require: requireSchema.default([]),
  /** `champion`: the test AUC must beat the current champion's stored AUC. */
  beats: z.literal('champion', { error: 'beats can only be "champion"' }).optional(),
  /** Registered model name whose champion to compare with. */
  modelName: z.string().min(1).max(200).optional(),
  importance: z.union([
    z.literal(false),
    z.strictObject({
      repeats: z.number().int().min(1).max(20).default(3),
      maxFeatures: z.number().int().min(1).max(200).default(20),
      seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
      /** Rows of the test split used (a seeded sample past this), to bound the cost. */
      maxRows: z.number().int().min(10).max(1_000_000).default(5000),
    }),
  ]).default({ repeats: 3, maxFeatures: 20, seed: 42, maxRows: 5000 }),
  calibration: z.strictObject({
    bins: z.number().int().min(2).max(100).default(10),
    strategy: z.enum(['uniform', 'quantile']).default('uniform'),
  }).default({ bins: 10, strategy: 'uniform' }),
}).refine((c) => c.beats === undefined || c.modelName !== undefined, { message: 'beats: champion needs modelName (the registered model to compare with)', path: ['modelName'] });

export type EvaluateConfig = z.infer<typeof evaluateConfigSchema>;

export const evaluateKind: KindSpec<EvaluateConfig> = {
  kind: 'evaluate',
  description: 'Scores a model on the held-out test split, chooses a threshold on validation, and applies quality gates.',
  schema: evaluateConfigSchema,
  defaultQueue: TASK_QUEUES.cpu,
  retry: { ...DEFAULT_RETRY, maximumAttempts: 3 },
  timeouts: { startToCloseMs: 60 * 60_000, heartbeatMs: 60_000 },
  outputs: ['auc', 'pr_auc', 'log_loss', 'brier', 'accuracy', 'precision', 'recall', 'f1', 'threshold', 'passed', 'model'],
};

import { z } from 'zod';
import { TASK_QUEUES } from '../core/queues.js';
import { DEFAULT_RETRY, type KindSpec } from './types.js';

const DAY_MS = 24 * 60 * 60_000;
const MAX_APPROVAL_MS = 30 * DAY_MS;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 60 * 60_000, d: DAY_MS };

/** `90s`, `30m`, `24h`, `7d`, or a number of seconds. */
export const approvalDuration = z.union([
  z.number().positive().transform((s) => Math.round(s * 1000)),
  z.string().regex(/^\d+(\.\d+)?\s*(ms|s|m|h|d)$/, 'approvalTimeout must look like "30m", "24h" or "7d"').transform((s) => {
    const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(s)!;
    return Math.round(Number(m[1]) * UNIT_MS[m[2]!]!);
  }),
], { error: 'approvalTimeout must be a number of seconds or look like "30m", "24h" or "7d"' })
  .pipe(z.number().int().min(1, 'approvalTimeout must be at least 1ms').max(MAX_APPROVAL_MS, 'approvalTimeout may be at most 30d'));

/** Reads a duration back for people: 86400000 → "24h". */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [['d', DAY_MS], ['h', 60 * 60_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

const cellRef = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'must be the id of an upstream cell');

export const deployConfigSchema = z.strictObject({
  /** Registry name of the model (a slug such as `purchase-intent`). */
  model: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'model must be a lowercase name of letters, digits and dashes starting with a letter, e.g. "purchase-intent"'),
  /** Alias the new version takes once deployed. */
  alias: z.enum(['challenger', 'champion'], { error: 'alias must be "challenger" or "champion"' }).default('challenger'),
  /** Cell whose `model` value is the .onnx to deploy; default: the nearest upstream finetune cell. */
  from: cellRef.optional(),
  /** Cell whose values are the metrics; default: the nearest upstream evaluate cell. */
  evaluation: cellRef.optional(),
  approval: z.enum(['required', 'none'], { error: 'approval must be "required" or "none"' }).default('none'),
  approvalTimeout: approvalDuration.default(DAY_MS),
});

export type DeployConfig = z.infer<typeof deployConfigSchema>;

export const deployKind: KindSpec<DeployConfig> = {
  kind: 'deploy',
  description: 'Registers the trained model as a new version and moves an alias to it, optionally after a person approves.',
  schema: deployConfigSchema,
  defaultQueue: TASK_QUEUES.cpu,
  retry: { ...DEFAULT_RETRY, maximumAttempts: 5 },
  timeouts: { startToCloseMs: 10 * 60_000, heartbeatMs: 60_000 },
  outputs: ['model', 'version', 'versionId', 'alias', 'held'],
  // Each deploy registers a version and moves an alias: a side effect a cached result would skip.
  cacheable: false,
};

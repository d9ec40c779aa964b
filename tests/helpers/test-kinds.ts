import { z } from 'zod';
import { LoomInputError } from '../../core/errors.js';
import { TASK_QUEUES } from '../../core/queues.js';
import { MIME } from '../../core/mime.js';
import { DEFAULT_RETRY, type KindSpec } from '../../kinds/types.js';
import type { CellExecutor } from '../../activities/types.js';
import { KINDS } from '../../kinds/index.js';
import { EXECUTORS } from '../../activities/executors.js';

/**
 * Kinds that exist only in tests, registered beside the real ones exactly as a new kind would be.
 * They inject faults on purpose: transient failures, bad input, slow cells.
 */
const fast = { ...DEFAULT_RETRY, initialIntervalMs: 100, maximumIntervalMs: 200, backoffCoefficient: 1 };

const echoSchema = z.strictObject({ value: z.union([z.string(), z.number(), z.boolean()]) });
const flakySchema = z.strictObject({ failures: z.number().int().min(0) });
const invalidSchema = z.strictObject({ message: z.string() });
const waitSchema = z.strictObject({ ms: z.number().int().min(0) });

export const TEST_KIND_SPECS: KindSpec[] = [
  { kind: 'echo', description: 'returns its value', schema: echoSchema, defaultQueue: TASK_QUEUES.cpu, retry: fast, timeouts: { startToCloseMs: 30_000 }, outputs: ['value'] },
  { kind: 'flaky', description: 'fails transiently N times', schema: flakySchema, defaultQueue: TASK_QUEUES.cpu, retry: { ...fast, maximumAttempts: 5 }, timeouts: { startToCloseMs: 30_000 }, outputs: ['attempt'] },
  { kind: 'invalid', description: 'fails with bad input', schema: invalidSchema, defaultQueue: TASK_QUEUES.cpu, retry: { ...fast, maximumAttempts: 5 }, timeouts: { startToCloseMs: 30_000 }, outputs: [] },
  { kind: 'wait', description: 'waits, reporting progress', schema: waitSchema, defaultQueue: TASK_QUEUES.cpu, retry: fast, timeouts: { startToCloseMs: 120_000, heartbeatMs: 2_000 }, outputs: ['waited'] },
];

const echo: CellExecutor<z.infer<typeof echoSchema>> = async (ctx) => ({
  values: { value: ctx.config.value },
  outputs: [{ data: { [MIME.markdown]: `value: **${String(ctx.config.value)}**`, [MIME.json]: { value: ctx.config.value } } }],
  outputHash: `echo:${String(ctx.config.value)}`,
});

const flaky: CellExecutor<z.infer<typeof flakySchema>> = async (ctx) => {
  if (ctx.attempt <= ctx.config.failures) throw new Error(`connection reset (injected transient fault ${ctx.attempt}/${ctx.config.failures})`);
  return { values: { attempt: ctx.attempt }, outputs: [], outputHash: `flaky:${ctx.attempt}` };
};

const invalid: CellExecutor<z.infer<typeof invalidSchema>> = async (ctx) => {
  throw new LoomInputError(ctx.config.message);
};

const wait: CellExecutor<z.infer<typeof waitSchema>> = async (ctx) => {
  const started = Date.now();
  while (Date.now() - started < ctx.config.ms) {
    if (ctx.signal.aborted) throw new Error('cancelled');
    ctx.progress({ waitedMs: Date.now() - started });
    await new Promise((r) => setTimeout(r, 50));
  }
  return { values: { waited: ctx.config.ms }, outputs: [], outputHash: `wait:${ctx.config.ms}` };
};

export const TEST_KINDS: ReadonlyMap<string, KindSpec> = new Map([...KINDS, ...TEST_KIND_SPECS.map((s) => [s.kind, s] as const)]);
export const TEST_EXECUTORS: ReadonlyMap<string, CellExecutor<any>> = new Map<string, CellExecutor<any>>([
  ...EXECUTORS,
  ['echo', echo],
  ['flaky', flaky],
  ['invalid', invalid],
  ['wait', wait],
]);

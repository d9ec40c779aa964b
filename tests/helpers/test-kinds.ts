import fs from 'node:fs';
import { z } from 'zod';
import { LoomInputError } from '../../core/errors.js';
import { TASK_QUEUES } from '../../core/queues.js';
import { MIME } from '../../core/mime.js';
import { DEFAULT_RETRY, type KindSpec } from '../../kinds/types.js';
import type { CellExecution, CellExecutor } from '../../activities/types.js';
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
const markerSchema = z.strictObject({ failWhileExists: z.string() });
const approvalSchema = z.strictObject({ timeoutMs: z.number().int().min(1) });

export const TEST_KIND_SPECS: KindSpec[] = [
  { kind: 'echo', description: 'returns its value', schema: echoSchema, defaultQueue: TASK_QUEUES.cpu, retry: fast, timeouts: { startToCloseMs: 30_000 }, outputs: ['value'] },
  { kind: 'flaky', description: 'fails transiently N times', schema: flakySchema, defaultQueue: TASK_QUEUES.cpu, retry: { ...fast, maximumAttempts: 5 }, timeouts: { startToCloseMs: 30_000 }, outputs: ['attempt'] },
  { kind: 'invalid', description: 'fails with bad input', schema: invalidSchema, defaultQueue: TASK_QUEUES.cpu, retry: { ...fast, maximumAttempts: 5 }, timeouts: { startToCloseMs: 30_000 }, outputs: [] },
  { kind: 'marker', description: 'fails while a marker file exists', schema: markerSchema, defaultQueue: TASK_QUEUES.cpu, retry: { ...fast, maximumAttempts: 1 }, timeouts: { startToCloseMs: 30_000 }, outputs: ['ok'], cacheable: false },
  { kind: 'approval', description: 'asks for approval, then reports the decision', schema: approvalSchema, defaultQueue: TASK_QUEUES.cpu, retry: fast, timeouts: { startToCloseMs: 30_000 }, outputs: ['decision'], cacheable: false },
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

const marker: CellExecutor<z.infer<typeof markerSchema>> = async (ctx) => {
  if (fs.existsSync(ctx.config.failWhileExists)) throw new LoomInputError(`marker ${ctx.config.failWhileExists} is present`);
  return { values: { ok: true }, outputs: [], outputHash: 'marker:ok' };
};

const approval: CellExecutor<z.infer<typeof approvalSchema>> = async (ctx) => {
  if (!ctx.resume) {
    const waiting: CellExecution = { values: {}, outputs: [{ data: { [MIME.markdown]: 'awaiting approval' } }], outputHash: 'approval:pending', pending: { type: 'approval', timeoutMs: ctx.config.timeoutMs, summary: 'test deployment' } };
    return waiting;
  }
  if (ctx.resume.type !== 'approval') throw new Error('unexpected resume');
  if (ctx.resume.decision !== 'approved') throw new LoomInputError(`not approved: ${ctx.resume.decision}${ctx.resume.by ? ` by ${ctx.resume.by}` : ''}${ctx.resume.note ? `: ${ctx.resume.note}` : ''}`);
  return { values: { decision: `approved by ${ctx.resume.by}` }, outputs: [{ data: { [MIME.markdown]: 'approved' } }], outputHash: 'approval:approved' };
};

export const TEST_KINDS: ReadonlyMap<string, KindSpec> = new Map([...KINDS, ...TEST_KIND_SPECS.map((s) => [s.kind, s] as const)]);
export const TEST_EXECUTORS: ReadonlyMap<string, CellExecutor<any>> = new Map<string, CellExecutor<any>>([
  ...EXECUTORS,
  ['echo', echo],
  ['flaky', flaky],
  ['invalid', invalid],
  ['wait', wait],
  ['marker', marker],
  ['approval', approval],
]);

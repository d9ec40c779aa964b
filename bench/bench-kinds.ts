import { z } from 'zod';
import { TASK_QUEUES } from '../core/queues.js';
import { DEFAULT_RETRY, type KindSpec } from '../kinds/types.js';
import type { CellExecutor } from '../activities/types.js';
import { KINDS } from '../kinds/index.js';
import { EXECUTORS } from '../activities/executors.js';

/**
 * `noop`: a cell kind that does no work and returns its value, registered beside the real kinds
 * exactly as a new kind would be. A notebook of `noop` cells measures Loom's own overhead.
 */
const noopSchema = z.strictObject({ value: z.union([z.string(), z.number()]) });

export const noopKind: KindSpec<z.infer<typeof noopSchema>> = {
  kind: 'noop',
  description: 'returns its value and does nothing else',
  schema: noopSchema,
  defaultQueue: TASK_QUEUES.cpu,
  retry: { ...DEFAULT_RETRY, maximumAttempts: 3, initialIntervalMs: 100 },
  timeouts: { startToCloseMs: 30_000 },
  outputs: ['value'],
};

const noop: CellExecutor<z.infer<typeof noopSchema>> = async (ctx) => ({
  values: { value: ctx.config.value },
  outputs: [],
  outputHash: `noop:${String(ctx.config.value)}`,
});

export const BENCH_KINDS: ReadonlyMap<string, KindSpec> = new Map<string, KindSpec>([...KINDS, [noopKind.kind, noopKind]]);
export const BENCH_EXECUTORS: ReadonlyMap<string, CellExecutor<any>> = new Map<string, CellExecutor<any>>([...EXECUTORS, ['noop', noop]]);

/** A notebook of `cells` noop cells, each needing the one before it. */
export function chainNotebook(cells: number): string {
  let body = '';
  for (let i = 0; i < cells; i++) {
    const needs = i === 0 ? 'needs=[]' : `needs=[c${i - 1}]`;
    body += '```cell noop id=c' + i + ' ' + needs + '\nvalue: ' + i + '\n```\n\n';
  }
  return `---\nname: bench-chain-${cells}\n---\n# A chain of ${cells} trivial cells\n\n${body}`;
}

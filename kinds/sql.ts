import { z } from 'zod';
import { TASK_QUEUES } from '../core/queues.js';
import { DEFAULT_RETRY, type KindSpec } from './types.js';

export const SQL_MAX_QUERY_BYTES = 100_000;
const MAX_TIMEOUT_MS = 60 * 60_000;

/** `60s`, `500ms`, `2m`, or a number of seconds. */
const duration = z.union([
  z.number().positive().transform((s) => Math.round(s * 1000)),
  z.string().regex(/^\d+(\.\d+)?\s*(ms|s|m)$/, 'timeout must look like "500ms", "60s" or "5m"').transform((s) => {
    const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/.exec(s)!;
    const n = Number(m[1]);
    return Math.round(m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000);
  }),
], { error: 'timeout must be a number of seconds or look like "500ms", "60s" or "5m"' }).pipe(z.number().int().min(1, 'timeout must be at least 1ms').max(MAX_TIMEOUT_MS, 'timeout may be at most 60m'));

/** Names the query uses for datasets; they become view names, so plain identifiers only. */
const alias = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'dataset aliases must be lowercase identifiers (a-z, 0-9, _; not starting with a digit)');

export const sqlConfigSchema = z.strictObject({
  query: z.string()
    .refine((q) => q.trim().length > 0, 'query is empty')
    .refine((q) => Buffer.byteLength(q, 'utf8') <= SQL_MAX_QUERY_BYTES, `query is longer than ${SQL_MAX_QUERY_BYTES / 1000} KB`),
  /** Statement timeout for the query. */
  timeout: duration.default(60_000),
  /** Alias → dataset id (usually `${cells.<id>.dataset}`). Upstream datasets are also available under their cell ids. */
  datasets: z.record(alias, z.string().min(1).max(200)).optional(),
});

export type SqlConfig = z.infer<typeof sqlConfigSchema>;

export const sqlKind: KindSpec<SqlConfig> = {
  kind: 'sql',
  description: 'Runs one read-only SQL query over datasets and stores its result as a new dataset.',
  schema: sqlConfigSchema,
  defaultQueue: TASK_QUEUES.cpu,
  retry: { ...DEFAULT_RETRY, maximumAttempts: 3 },
  timeouts: { startToCloseMs: 2 * 60 * 60_000, heartbeatMs: 30_000 },
  outputs: ['dataset', 'rows', 'table'],
};

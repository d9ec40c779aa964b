import { z } from 'zod';
import { TASK_QUEUES } from '../core/queues.js';
import { DEFAULT_RETRY, type KindSpec } from './types.js';

/** Column types a dataset may declare or be inferred to have. */
export const COLUMN_TYPES = ['integer', 'bigint', 'double', 'boolean', 'timestamp', 'date', 'text'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

const columnType = z.enum(COLUMN_TYPES, {
  error: (issue) => `unknown column type ${JSON.stringify(issue.input)}; use one of ${COLUMN_TYPES.join(', ')}`,
});

const sourcePath = z.string().min(1, 'the source path or URL is empty').max(4096, 'the source path or URL is longer than 4096 characters');

const source = z.union([
  z.strictObject({ csv: sourcePath }),
  z.strictObject({ jsonl: sourcePath }),
], { error: 'source must be { csv: "<path or URL>" } or { jsonl: "<path or URL>" }' });

/** Declared columns: a mapping `name: type`, or a list `[{ name, type }]` when order matters (header: false). */
const declaredSchema = z.union([
  z.record(z.string().min(1).max(1000), columnType),
  z.array(z.strictObject({ name: z.string().min(1).max(1000), type: columnType })).min(1).max(1600),
], { error: `schema must map column names to types, or list { name, type }; types are ${COLUMN_TYPES.join(', ')}` });

export const ingestConfigSchema = z.strictObject({
  source,
  /** Field separator for CSV; a single character. Tab is written "\t" in YAML. */
  delimiter: z.string().length(1, 'delimiter must be exactly one character, e.g. "," or "\\t"')
    .refine((d) => d !== '"' && d !== '\n' && d !== '\r', 'delimiter cannot be a quote or a line break')
    .default(','),
  header: z.boolean().default(true),
  schema: declaredSchema.optional(),
  /** Columns pseudonymised with a salted HMAC before anything is stored. */
  pii: z.array(z.string().min(1).max(1000)).max(1600).default([]),
  /** Share of rejected records above which the cell fails. */
  maxErrorRatio: z.number().min(0).max(1).default(0.05),
  encoding: z.string()
    .refine((e) => /^utf-?8$/i.test(e), 'only utf-8 is supported; convert the file first (e.g. iconv -f latin1 -t utf-8)')
    .default('utf-8'),
});

export type IngestConfig = z.infer<typeof ingestConfigSchema>;

export const ingestKind: KindSpec<IngestConfig> = {
  kind: 'ingest',
  description: 'Loads a CSV or JSON Lines file (local or loopback URL) into a typed dataset table, reporting rejected rows.',
  schema: ingestConfigSchema,
  defaultQueue: TASK_QUEUES.cpu,
  retry: { ...DEFAULT_RETRY, maximumAttempts: 4 },
  // Large files take a while; the heartbeat catches a dead worker long before the attempt limit.
  timeouts: { startToCloseMs: 2 * 60 * 60_000, heartbeatMs: 30_000 },
  outputs: ['dataset', 'rows', 'table'],
  // The same path or URL can hold new data tomorrow: always load, and let the content hash decide
  // whether downstream cells can reuse their outputs.
  cacheable: false,
};

import { z } from 'zod';
import { DEFAULT_RETRY, type KindSpec } from '../kinds/types.js';

/** Small kinds with real zod schemas, for exercising the validator. Used by tests only. */
export const TEST_KINDS: ReadonlyMap<string, KindSpec> = new Map<string, KindSpec>([
  [
    'ingest',
    {
      kind: 'ingest',
      description: 'reads a CSV file',
      schema: z.strictObject({ source: z.strictObject({ csv: z.string().min(1) }), pii: z.array(z.string()).optional(), limit: z.number().int().positive().optional() }),
      defaultQueue: 'loom-cpu',
      retry: DEFAULT_RETRY,
      timeouts: { startToCloseMs: 600_000, heartbeatMs: 30_000 },
      outputs: ['dataset', 'rows'],
    },
  ],
  [
    'sql',
    {
      kind: 'sql',
      description: 'read-only query',
      schema: z.strictObject({ query: z.string().min(1), inputs: z.record(z.string(), z.string()).optional() }),
      defaultQueue: 'loom-cpu',
      retry: DEFAULT_RETRY,
      timeouts: { startToCloseMs: 300_000 },
      outputs: ['dataset', 'rows'],
    },
  ],
  [
    'finetune',
    {
      kind: 'finetune',
      description: 'trains a model',
      schema: z.strictObject({ dataset: z.string(), epochs: z.number().int().min(1), rate: z.number().optional() }),
      defaultQueue: 'loom-gpu',
      retry: { ...DEFAULT_RETRY, maximumAttempts: 2 },
      timeouts: { startToCloseMs: 3_600_000 },
      outputs: ['model'],
    },
  ],
]);

/** Builds a notebook source from front matter lines and cell blocks. */
export function notebookSource(front: string, ...cells: string[]): string {
  return `---\n${front}\n---\n# Title\n\n${cells.join('\n\n')}\n`;
}

export const VALID = `---
name: spring-loyalty
description: Nightly retrain
schedule: { cron: "0 2 * * *", timezone: Europe/Paris, overlap: buffer_one, catchupWindow: 1h, params: { epochs: 50 } }
params:
  dataset: { type: string, default: data/sample/shoppers.csv }
  epochs:  { type: int, default: 20, min: 1, max: 500 }
  rate:    { type: float, default: 0.01 }
  size:    { type: enum, values: [small, large], default: small }
---
# Spring loyalty campaign
Who we target and why.

\`\`\`cell ingest id=sessions
source: { csv: "\${params.dataset}" }
pii: [customer_id, email]
\`\`\`

\`\`\`cell sql id=features
query: select * from t where size = '\${params.size}'
\`\`\`

Between cells.

\`\`\`cell finetune id=intent needs=[features, sessions] queue=gpu
dataset: \${cells.features.dataset}
epochs: \${params.epochs}
rate: \${params.rate}
retry: { maximumAttempts: 5, initialInterval: 5s }
timeout: 2h
heartbeatTimeout: 1m
cache: false
\`\`\`
`;

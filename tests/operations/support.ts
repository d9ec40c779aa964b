import { z } from 'zod';
import { MIME, type MimeBundle } from '../../core/mime.js';
import { TASK_QUEUES } from '../../core/queues.js';
import { DEFAULT_RETRY, type KindSpec } from '../../kinds/types.js';
import type { CellExecutor } from '../../activities/types.js';
import { TEST_EXECUTORS, TEST_KINDS } from '../helpers/test-kinds.js';

/**
 * A test-only kind standing in for `evaluate`: a numeric metric and a Vega-Lite curve that both
 * depend on its config, on the GPU queue so GPU accounting has something to count.
 */
const curveSchema = z.strictObject({ auc: z.number().min(0).max(1), ms: z.number().int().min(0).max(5_000) });

export const CURVE_SPEC: KindSpec = {
  kind: 'curve',
  description: 'emits an auc and a ROC-like curve',
  schema: curveSchema,
  defaultQueue: TASK_QUEUES.gpu,
  retry: { ...DEFAULT_RETRY, initialIntervalMs: 100, maximumIntervalMs: 200 },
  timeouts: { startToCloseMs: 30_000 },
  outputs: ['auc'],
};

const curve: CellExecutor<z.infer<typeof curveSchema>> = async (ctx) => {
  await new Promise((r) => setTimeout(r, ctx.config.ms));
  const points = [0, 0.25, 0.5, 0.75, 1].map((fpr) => ({ fpr, tpr: Math.min(1, fpr ** (1 - ctx.config.auc)) }));
  const outputs: MimeBundle[] = [
      { data: { [MIME.markdown]: `AUC **${ctx.config.auc}**` } },
      {
        data: {
          [MIME.vegaLite]: {
            $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
            title: 'ROC',
            data: { values: points },
            mark: 'line',
            encoding: { x: { field: 'fpr', type: 'quantitative' }, y: { field: 'tpr', type: 'quantitative' } },
          },
        },
      },
  ];
  return { values: { auc: ctx.config.auc }, outputs, outputHash: `curve:${ctx.config.auc}` };
};

export const OPS_KINDS: ReadonlyMap<string, KindSpec> = new Map([...TEST_KINDS, ['curve', CURVE_SPEC]]);
export const OPS_EXECUTORS: ReadonlyMap<string, CellExecutor<any>> = new Map([...TEST_EXECUTORS, ['curve', curve]]);

/** A real campaign over the CDNOW cohort: ingest, a parameterised query, and a GPU metric cell. */
export const campaign = (csvPath: string, ms = 300) => `---
name: cdnow-repeat
params:
  min_frequency: { type: int, default: 2, min: 1, max: 100 }
  auc: { type: float, default: 0.8, min: 0, max: 1 }
---
# CDNOW repeat buyers

Who bought **again** in the calibration window. <script>alert("prose is escaped")</script>

\`\`\`cell ingest id=customers
source: { csv: "${csvPath}" }
\`\`\`

Customers with at least \`min_frequency\` repeat purchases.

\`\`\`cell sql id=repeaters needs=[customers]
query: |
  SELECT count(*) AS customers, round(avg(recency)::numeric, 2) AS avg_recency
  FROM customers WHERE frequency >= \${params.min_frequency}
\`\`\`

\`\`\`cell curve id=model needs=[repeaters]
auc: \${params.auc}
ms: ${ms}
\`\`\`
`;

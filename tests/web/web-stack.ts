import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { apiTokens } from '../../db/schema/index.js';
import { MIME } from '../../core/mime.js';
import { TASK_QUEUES } from '../../core/queues.js';
import { DEFAULT_RETRY, type KindSpec } from '../../kinds/types.js';
import { KINDS } from '../../kinds/index.js';
import type { CellExecutor } from '../../activities/types.js';
import { startApiServer, type ApiServer } from '../../graphql/server.js';
import { createToken } from '../../services/tokens.js';
import { ensureWebBuilt } from '../../web/build-if-stale.js';
import { startTestStack, type TestStack } from '../helpers/loom-stack.js';
import { TEST_EXECUTORS, TEST_KIND_SPECS } from '../helpers/test-kinds.js';

/** A test kind that draws a small Vega-Lite bar chart, as a charting kind would. */
const chartSchema = z.strictObject({ bars: z.record(z.string(), z.number()) });
const chartKind: KindSpec = {
  kind: 'chart', description: 'draws a bar chart of its values', schema: chartSchema, defaultQueue: TASK_QUEUES.cpu,
  retry: { ...DEFAULT_RETRY, maximumAttempts: 1 }, timeouts: { startToCloseMs: 30_000 }, outputs: ['bars'],
};
const chart: CellExecutor<z.infer<typeof chartSchema>> = async (ctx) => ({
  values: { bars: Object.keys(ctx.config.bars).length },
  outputs: [{
    data: {
      [MIME.vegaLite]: {
        $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
        description: 'Purchases by segment',
        data: { values: Object.entries(ctx.config.bars).map(([segment, purchases]) => ({ segment, purchases })) },
        mark: 'bar',
        encoding: { x: { field: 'segment', type: 'nominal' }, y: { field: 'purchases', type: 'quantitative' } },
      },
    },
    metadata: { loom: 'chart' },
  }],
  outputHash: `chart:${JSON.stringify(ctx.config.bars)}`,
});

/** The installed kinds plus the test kinds, passed to the workers and the API alike. */
const WEB_KINDS: ReadonlyMap<string, KindSpec> = new Map([...KINDS, ...[...TEST_KIND_SPECS, chartKind].map((s) => [s.kind, s] as const)]);

export interface WebStack {
  stack: TestStack;
  api: ApiServer;
  origin: string;
  tokens: { launcher: string; viewer: string; admin: string; expired: string };
  close(): Promise<void>;
}

export async function startWebStack(): Promise<WebStack> {
  ensureWebBuilt();
  const executors = new Map([...TEST_EXECUTORS, ['chart', chart]]);
  const stack = await startTestStack({ driver: 'postgres', kinds: WEB_KINDS, executors });
  const api = await startApiServer({ db: stack.db, temporal: stack.env.client, kinds: WEB_KINDS, host: '127.0.0.1', port: 0, config: { maxBodyBytes: 1024 * 1024, graphiql: false } });
  const make = (name: string, role: 'launcher' | 'viewer' | 'admin') => createToken({ db: stack.db }, { name, role });
  const old = await make('old-token', 'launcher');
  // Tokens cannot be created already expired; age this one as time would.
  await stack.db.orm.update(apiTokens).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(apiTokens.id, old.record.id));
  const tokens = {
    launcher: (await make('growth-launcher', 'launcher')).token,
    viewer: (await make('growth-viewer', 'viewer')).token,
    admin: (await make('growth-admin', 'admin')).token,
    expired: old.token,
  };
  return {
    stack,
    api,
    origin: new URL(api.url).origin,
    tokens,
    async close() {
      await api.close();
      await stack.close();
    },
  };
}

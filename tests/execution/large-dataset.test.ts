import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/loom-stack.js';

const ROWS = 1_000_000;

/** Writes a 1M-row CSV in large blocks (about 40 MB). */
function writeCsv(file: string): void {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, 'order_id,customer_id,amount,channel\n');
  const channels = ['web', 'app', 'store'];
  let block = '';
  for (let i = 1; i <= ROWS; i++) {
    block += `${i},c${i % 50_000},${((i * 7919) % 10_000) / 100},${channels[i % 3]}\n`;
    if (block.length > 1 << 20) {
      fs.writeSync(fd, block);
      block = '';
    }
  }
  fs.writeSync(fd, block);
  fs.closeSync(fd);
}

describe('a 1M-row dataset moves between cells by reference', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ driver: 'postgres' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  test('the run succeeds with every row loaded while the workflow history stays a few kilobytes', async () => {
    const file = path.join(stack.tmpDir, 'orders.csv');
    writeCsv(file);
    const source = `---
name: big-orders
---
\`\`\`cell ingest id=orders
source: { csv: ${JSON.stringify(file)} }
pii: [customer_id]
\`\`\`

\`\`\`cell sql id=by_channel
query: SELECT channel, count(*) AS orders, sum(amount) AS revenue FROM orders GROUP BY channel ORDER BY channel
\`\`\`
`;
    const runId = await stack.launch(source);
    const run = await stack.waitForRun(runId, 180_000);
    expect(run.status, run.error ?? '').toBe('succeeded');
    const [orders, byChannel] = await stack.cells(runId);
    expect(orders!.result).toMatchObject({ rows: ROWS });
    const counts = await stack.db.query<{ n: number }>(`SELECT sum(orders)::int AS n FROM ${String(byChannel!.result!.table)}`);
    expect(counts[0]!.n).toBe(ROWS);

    const history = await stack.env.client.workflow.getHandle(runId).fetchHistory();
    const events = history.events ?? [];
    const sizes = events.map((e) => JSON.stringify(e).length);
    // References (dataset ids, row counts), never rows: no event carries more than a few KB.
    expect(Math.max(...sizes)).toBeLessThan(16 * 1024);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(128 * 1024);
    expect(events.length).toBeLessThan(100);
  });
});

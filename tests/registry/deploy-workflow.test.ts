import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TASK_QUEUES } from '../../core/queues.js';
import { DEFAULT_RETRY, type KindSpec } from '../../kinds/types.js';
import type { CellExecutor } from '../../activities/types.js';
import { resolve } from '../../services/models.js';
import { decideApproval } from '../../services/approvals.js';
import { startTestStack, type TestStack } from '../helpers/loom-stack.js';
import { TEST_EXECUTORS, TEST_KINDS } from '../helpers/test-kinds.js';
import { codes, gql, testYoga, tokenFor } from '../graphql/client.js';
import { WEIGHTS_A, writeTestModel } from './fixtures.js';

/** Stands in for a trained model: writes a real ONNX file into the artifact store, as finetune does. */
const fixtureSpec: KindSpec = {
  kind: 'model-fixture', description: 'writes a test model', schema: z.strictObject({ bias: z.number() }),
  defaultQueue: TASK_QUEUES.gpu, retry: DEFAULT_RETRY, timeouts: { startToCloseMs: 30_000 }, outputs: ['model', 'sha256'],
};
const fixture: CellExecutor<{ bias: number }> = async (ctx) => {
  const file = writeTestModel(path.join(ctx.artifactsDir, 'runs', ctx.runId), 'model.onnx', { weights: WEIGHTS_A, bias: ctx.config.bias });
  return { values: { model: file, sha256: 'n/a', valAuc: 0.8 }, outputs: [], outputHash: `fixture:${ctx.config.bias}` };
};

const notebook = (approval: string, timeout = '1h') => `---
name: deploy-e2e
---
\`\`\`cell model-fixture id=train
bias: 0.1
\`\`\`

\`\`\`cell deploy id=ship needs=[train]
model: intent
alias: champion
from: train
approval: ${approval}
approvalTimeout: ${timeout}
\`\`\`
`;

describe('deploy through the workflow (dev server, PGlite, in-process workers)', () => {
  let stack: TestStack;
  let services: { db: TestStack['db']; temporal: TestStack['env']['client'] };

  beforeAll(async () => {
    stack = await startTestStack({
      driver: 'pglite',
      kinds: new Map([...TEST_KINDS, ['model-fixture', fixtureSpec]]),
      executors: new Map([...TEST_EXECUTORS, ['model-fixture', fixture]]),
    });
    services = { db: stack.db, temporal: stack.env.client };
  }, 120_000);
  afterAll(async () => stack?.close(), 60_000);

  async function waitForStatus(runId: string, cellId: string, status: string) {
    for (let i = 0; i < 300; i++) {
      const cell = (await stack.cells(runId)).find((c) => c.cellId === cellId);
      if (cell?.status === status) return cell;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`cell ${cellId} never became ${status}`);
  }

  it('deploys without approval, then waits for approval and moves champion once approved', async () => {
    const first = await stack.launch(notebook('none'));
    expect((await stack.waitForRun(first)).status).toBe('succeeded');
    expect((await resolve({ db: stack.db }, 'intent', { alias: 'champion' })).version).toBe(1);

    const second = await stack.launch(notebook('required'));
    const waiting = await waitForStatus(second, 'ship', 'awaiting_approval');
    expect(waiting.result).toMatchObject({ model: 'intent', version: 2, alias: 'champion' });
    expect((await resolve({ db: stack.db }, 'intent', { alias: 'champion' })).version).toBe(1);

    const yoga = testYoga(stack.db, stack.env.client);
    const launcher = await tokenFor(stack.db, 'launcher');
    const res = await gql(yoga, launcher, `mutation($r: ID!) { approveDeployment(runId: $r, cellId: "ship", note: "looks good") { decision by } }`, { r: second });
    expect(res.body.data!.approveDeployment).toEqual({ decision: 'approved', by: 'launcher-test' });
    expect((await stack.waitForRun(second)).status).toBe('succeeded');
    const champion = await resolve({ db: stack.db }, 'intent', { alias: 'champion' });
    expect(champion.version).toBe(2);
    const again = await gql(yoga, launcher, `mutation($r: ID!) { approveDeployment(runId: $r, cellId: "ship") { decision } }`, { r: second });
    expect(codes(again)).toEqual(['CONFLICT']);
    expect(again.body.errors![0]!.message).toMatch(/is succeeded, not awaiting approval/);
  }, 120_000);

  it('fails the cell with the reviewer and note when rejected, and says when approval timed out', async () => {
    const rejected = await stack.launch(notebook('required'));
    await waitForStatus(rejected, 'ship', 'awaiting_approval');
    await decideApproval(services, { runId: rejected, cellId: 'ship', decision: 'rejected', by: 'dana', note: 'AUC below champion' });
    const run = await stack.waitForRun(rejected);
    expect(run.status).toBe('failed');
    const cell = (await stack.cells(rejected)).find((c) => c.cellId === 'ship')!;
    expect(cell.error).toBe('deployment of intent v3 rejected by dana: AUC below champion');

    const timedOut = await stack.launch(notebook('required', '2s'));
    const late = await stack.waitForRun(timedOut);
    expect(late.status).toBe('failed');
    expect((await stack.cells(timedOut)).find((c) => c.cellId === 'ship')!.error).toMatch(/^deployment of intent v4 timed out after 2s/);
    expect((await resolve({ db: stack.db }, 'intent', { alias: 'champion' })).version).toBe(2);
  }, 120_000);
});

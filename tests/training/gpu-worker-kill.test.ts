import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startKillHarness, type KillHarness } from '../helpers/kill-harness.js';
import { loadModel } from '../../models/index.js';
import { REPO_ROOT, spawnGroup, startWorkerProcess, waitUntil, type GroupProcess } from '../helpers/processes.js';
import { attemptsOf, cellBlock, cellRow, launch, notebookSource, waitForRun } from '../durability/support.js';

const ROWS = 12_000;
// Enough epochs that a quiet machine is still training when the first progress write lands.
const EPOCHS = 40;

/** Shoppers with a numeric, a categorical and a text column whose words carry the signal. */
function writeShoppersCsv(file: string): void {
  const words = ['love', 'great', 'fits', 'perfect', 'returned', 'cheap', 'small', 'broken', 'ok', 'fabric', 'colour', 'size'];
  const lines = ['id,visits,device,note,bought'];
  let x = 12345;
  const rnd = (): number => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x / 4294967296; };
  for (let i = 0; i < ROWS; i++) {
    const visits = Math.floor(rnd() * 20);
    const device = ['web', 'ios', 'android'][Math.floor(rnd() * 3)]!;
    const note = Array.from({ length: 3 + Math.floor(rnd() * 6) }, () => words[Math.floor(rnd() * words.length)]!).join(' ');
    const score = visits / 10 - 1 + (note.includes('love') ? 1 : 0) - (note.includes('broken') ? 1 : 0);
    lines.push(`r${i},${visits},${device},"${note}",${rnd() < 1 / (1 + Math.exp(-2 * score)) ? 1 : 0}`);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

function startGpuWorker(name: string, env: Record<string, string>): Promise<GroupProcess> {
  const proc = spawnGroup(name, process.execPath, [path.join(REPO_ROOT, 'cli', 'bin.js'), 'gpu-worker'], { env: { ...process.env, LOOM_LOG_LEVEL: 'warn', ...env } });
  return proc.waitForOutput(/connected to Temporal/, 60_000).then(() => proc, async (err: unknown) => { await proc.kill(); throw err; });
}

describe('a GPU worker killed with SIGKILL in the middle of training', () => {
  let h: KillHarness;

  beforeAll(async () => {
    h = await startKillHarness('loom-train-kill-');
    writeShoppersCsv(path.join(h.tmpDir, 'shoppers.csv'));
  });

  afterAll(async () => {
    await h?.close();
  });

  test('a new GPU worker resumes from the epoch checkpoint and exactly one model is written', async () => {
    const home = path.join(h.tmpDir, '.loom');
    const workerEnv = h.workerEnv({ LOOM_GPU_COUNT: '0' });
    h.procs.push(await startWorkerProcess('cpu-worker', workerEnv));
    const gpu1 = await startGpuWorker('gpu-worker-1', workerEnv);
    h.procs.push(gpu1);

    const source = notebookSource('train-kill', [
      cellBlock('ingest', 'id=shoppers', `source: { csv: ${JSON.stringify(path.join(h.tmpDir, 'shoppers.csv'))} }`),
      cellBlock('preprocess', 'id=features', [
        'label: { column: bought }',
        'features: { numeric: [visits], categorical: [device], text: [note] }',
        'split: { validation: 0.2, test: 0.1 }',
        'text: { buckets: 1024, maxTokens: 16 }',
      ].join('\n')),
      cellBlock('finetune', 'id=train', [
        `epochs: ${EPOCHS}`,
        'batchSize: 64',
        'model: { hidden: [128, 64], text: { embedding: 32 } }',
        `earlyStopping: { patience: ${EPOCHS} }`,
        'heartbeatTimeout: 3s',
        'retry: { maximumAttempts: 4, initialInterval: 200ms }',
      ].join('\n')),
    ]);
    const runId = await launch(h.db, h.env.client, source);

    const killedAt = await waitUntil('the finetune cell to finish an epoch', async () => {
      const [r] = await h.db.query<{ status: string; error: string | null }>('SELECT status, error FROM runs WHERE id = $1', [runId]);
      if (r && r.status !== 'running' && r.status !== 'queued') throw new Error(`the run ended ${r.status} before training: ${r.error}`);
      const cell = await cellRow(h.db, runId, 'train');
      const p = cell?.progress as { epoch?: number; valLoss?: number | null } | null;
      if (cell?.status !== 'running' || !p?.epoch) return undefined;
      // A step report names the epoch in progress; an epoch report (with valLoss) the one just checkpointed.
      const completed = p.valLoss != null ? p.epoch : p.epoch - 1;
      return completed >= 2 ? completed : undefined;
    }, 120_000, 20);
    await gpu1.kill('SIGKILL');
    expect(await gpu1.exited).toMatchObject({ signal: 'SIGKILL' });
    expect(killedAt).toBeLessThan(EPOCHS);

    h.procs.push(await startGpuWorker('gpu-worker-2', workerEnv));
    const run = await waitForRun(h.db, runId, 120_000);
    expect(run.status, run.error ?? '').toBe('succeeded');

    const attempts = await attemptsOf(h.db, runId, 'train');
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts[0]!.workerIdentity).toContain(`:${gpu1.pid}`);
    expect(attempts.at(-1)!.status).toBe('succeeded');
    const cell = await cellRow(h.db, runId, 'train');
    const result = cell!.result as { epochs: number; resumedFrom: number; model: string };
    // The epoch counter continued from the checkpoint instead of restarting at 1.
    expect(result.resumedFrom).toBeGreaterThanOrEqual(killedAt);
    expect(result.epochs).toBe(EPOCHS);
    const models = fs.readdirSync(path.join(home, 'artifacts', 'models', runId, 'train'));
    expect(models).toEqual(['model.onnx']);
    const model = await loadModel(result.model);
    expect(model.shape.maxTokens).toBe(16);
    await model.release();
  }, 300_000);
});

/**
 * Training benchmark: the Loom ONNX Runtime trainer vs the same model in PyTorch on CPU, same data
 * (an exchange file both read), batch size, epochs, optimiser and thread count.
 * PyTorch runs twice: dense AdamW everywhere, and lazy SparseAdam on the embedding table (the rows
 * a batch uses, as Loom's trainer updates them) with AdamW for the rest; the faster is the baseline.
 * Run: npx tsx bench/training/train-bench.ts [--train 50000] [--epochs 3] [--threads 2] [--buckets 4096]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { train, type TrainConfig } from '../../gpu-worker/train.js';
import { benchBatch, writeBenchFile, type BenchShape } from './data.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};

const shape: BenchShape = { denseDim: 32, maxTokens: 32, textBuckets: arg('buckets', 4096) };
const nTrain = arg('train', 50_000);
const threads = arg('threads', 2);
const cfg: TrainConfig = {
  hidden: [128, 64], dropout: 0.1, embedding: 64, epochs: arg('epochs', 3), batchSize: 256, learningRate: 1e-3, weightDecay: 1e-4,
  classWeight: 'balanced', earlyStopping: { metric: 'val_loss', patience: 1000 }, seed: 42,
};

interface TorchResult {
  samplesPerSecond: number;
  torch: string;
  sparseEmbedding: boolean;
  history: { valLoss: number; valAuc: number }[];
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-train-bench-'));
  const file = path.join(dir, 'data.bin');
  const trainSet = benchBatch(nTrain, shape, 1);
  const validation = benchBatch(Math.round(nTrain / 5), shape, 2);
  writeBenchFile(file, shape, { train: trainSet, validation });
  const positives = trainSet.labels!.reduce((a, b) => a + b, 0);
  console.log(`\n## Training: ${nTrain.toLocaleString('en')} train rows, ${validation.size.toLocaleString('en')} validation rows`);
  console.log(`features: ${shape.denseDim} dense, ${shape.maxTokens} token slots over ${shape.textBuckets} buckets; positives ${(100 * positives / nTrain).toFixed(1)} %`);
  console.log(`model: hidden ${JSON.stringify(cfg.hidden)}, embedding ${cfg.embedding}, dropout ${cfg.dropout}; batch ${cfg.batchSize}, ${cfg.epochs} epochs, AdamW lr ${cfg.learningRate}, ${threads} threads; ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, ${new Date().toISOString().slice(0, 10)}\n`);

  const loom = await train({ shape: { ...shape, denseNames: [] }, train: trainSet, validation }, cfg, { provider: 'cpu', threads });
  const last = loom.history.at(-1)!;
  const runTorch = (sparseEmbedding: boolean): TorchResult => {
    const out = execFileSync('python3', [path.join(here, 'torch_baseline.py'), file, JSON.stringify({ ...cfg, threads, sparseEmbedding })], { encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').at(-1)!) as TorchResult;
  };
  const torchRuns = [runTorch(false), runTorch(true)];
  const torch = torchRuns.reduce((a, b) => (b.samplesPerSecond > a.samplesPerSecond ? b : a));
  const tl = torch.history.at(-1)!;
  const row = (name: string, sps: number, vl: number, auc: number | null): string => `| ${name} | ${Math.round(sps).toLocaleString('en')} | ${vl.toFixed(4)} | ${auc === null ? '—' : auc.toFixed(4)} |`;
  console.log('| trainer | samples/s (train steps) | final val loss | final val AUC |');
  console.log('|---|---|---|---|');
  console.log(row(`Loom (ONNX Runtime, ${loom.provider})`, loom.samplesPerSecond, last.valLoss, last.valAuc));
  for (const t of torchRuns) {
    const h = t.history.at(-1)!;
    console.log(row(`PyTorch ${t.torch}, ${t.sparseEmbedding ? 'SparseAdam embedding + AdamW' : 'AdamW'}`, t.samplesPerSecond, h.valLoss, h.valAuc));
  }
  const ratio = loom.samplesPerSecond / torch.samplesPerSecond;
  const dAuc = Math.abs((last.valAuc ?? 0) - tl.valAuc);
  console.log(`\nbaseline: the faster PyTorch run (${torch.sparseEmbedding ? 'SparseAdam' : 'AdamW'})`);
  console.log(`speed ratio Loom / PyTorch: ${ratio.toFixed(2)} (goal >= 0.8: ${ratio >= 0.8 ? 'met' : 'MISSED'}); |AUC difference| ${dAuc.toFixed(4)} (goal <= 0.01: ${dAuc <= 0.01 ? 'met' : 'MISSED'})`);
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();

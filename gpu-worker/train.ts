import * as ort from 'onnxruntime-node';
import type { Logger } from 'pino';
import type { FeatureBatch } from '../features/types.js';
import { architectureFor, constantSpecs, paramSpecs, usesIdf, type Architecture } from './model/architecture.js';
import { FTRL_DEFAULTS } from './model/ftrl.js';
import { buildForwardGraph, buildTrainStepGraph } from './model/graphs.js';
import { initParams } from './model/init.js';
import { bceFromLogits, classWeights, rocAuc } from './model/metrics.js';
import { Prng } from './model/prng.js';
import { chooseProvider, type ProviderChoice } from './provider.js';
import { embeddingDecay, ftrlDecay, pick, SparseRows, type TableState } from './sparse-rows.js';
import type { EpochMetrics, TrainConfig, TrainData, TrainProgress, TrainResult, TrainState } from './train-types.js';

export type { EpochMetrics, TrainConfig, TrainData, TrainProgress, TrainResult, TrainState } from './train-types.js';

export interface TrainOptions {
  provider?: ProviderChoice;
  gpuCount?: number;
  /** ONNX Runtime intra-op threads of the validation pass, and of the train step on CUDA (0 = its default). */
  threads?: number;
  /** Continue from this state instead of initialising. */
  resume?: TrainState;
  /** Called after every epoch with the full state (write a checkpoint here). */
  onEpoch?: (state: TrainState) => Promise<void>;
  onProgress?: (p: TrainProgress) => void;
  /** Progress every this many steps. @default 20 */
  progressEvery?: number;
  signal?: AbortSignal;
  log?: Logger;
}

/** Thrown when training is interrupted by its abort signal; the last checkpoint stays valid. */
export class TrainingAborted extends Error {
  override name = 'TrainingAborted';
}

const copyMap = (m: Map<string, Float32Array>): Map<string, Float32Array> => new Map([...m].map(([k, v]) => [k, Float32Array.from(v)]));

export function freshState(a: Architecture, seed: number): TrainState {
  const rng = new Prng(seed);
  const params = initParams(a, rng);
  const zeros = (): Map<string, Float32Array> => new Map([...params].map(([k, v]) => [k, new Float32Array(v.length)]));
  return { epoch: 0, step: 0, params, m: zeros(), v: zeros(), rng: rng.state(), best: null, stale: 0, history: [] };
}

/**
 * Smoothed inverse document frequency of every n-gram bucket over the train split, as
 * scikit-learn's TfidfVectorizer computes it: ln((1 + n) / (1 + df)) + 1. Padding and buckets in
 * fewer than `minDf` train rows (never seen, by default) get 0, so at prediction time they are ignored.
 */
export function fitIdf(b: FeatureBatch, buckets: number, minDf = 1): Float32Array {
  const df = new Uint32Array(buckets + 1);
  const lastRow = new Int32Array(buckets + 1).fill(-1);
  for (let r = 0; r < b.size; r++) {
    for (let j = r * b.maxTokens; j < (r + 1) * b.maxTokens; j++) {
      const t = b.tokens[j]!;
      if (t > 0 && t <= buckets && lastRow[t] !== r) { lastRow[t] = r; df[t]!++; }
    }
  }
  const idf = new Float32Array(buckets + 1);
  const least = Math.max(1, minDf);
  for (let t = 1; t <= buckets; t++) if (df[t]! >= least) idf[t] = Math.log((1 + b.size) / (1 + df[t]!)) + 1;
  return idf;
}

/** The fitted constants of an architecture, from the train split. */
export function fitConstants(a: Architecture, train: FeatureBatch, minDf = 1): Map<string, Float32Array> {
  return usesIdf(a) ? new Map([['idf', fitIdf(train, a.textBuckets, minDf)]]) : new Map();
}

/** Rows `idx` of a batch, copied into contiguous arrays. */
function gather(b: FeatureBatch, idx: Uint32Array, from: number, to: number): { dense: Float32Array; tokens: Int32Array; labels: Float32Array } {
  const n = to - from;
  const dense = new Float32Array(n * b.denseDim);
  const tokens = new Int32Array(n * b.maxTokens);
  const labels = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const i = idx[from + r]!;
    if (b.denseDim > 0) dense.set(b.dense.subarray(i * b.denseDim, (i + 1) * b.denseDim), r * b.denseDim);
    if (b.maxTokens > 0) tokens.set(b.tokens.subarray(i * b.maxTokens, (i + 1) * b.maxTokens), r * b.maxTokens);
    labels[r] = b.labels![i]!;
  }
  return { dense, tokens, labels };
}

/**
 * Logits of the forward graph (parameters as inputs, no dropout) over a whole batch, in chunks.
 * `params` holds the trainable parameters and the fitted constants.
 */
export async function forwardLogits(session: ort.InferenceSession, a: Architecture, params: Map<string, Float32Array>, b: FeatureBatch, chunk = 8192): Promise<Float32Array> {
  const out = new Float32Array(b.size);
  const paramFeeds: Record<string, ort.Tensor> = {};
  for (const p of [...paramSpecs(a), ...constantSpecs(a)]) paramFeeds[p.name] = new ort.Tensor('float32', params.get(p.name)!, p.dims);
  for (let s = 0; s < b.size; s += chunk) {
    const e = Math.min(b.size, s + chunk);
    const feeds = { ...paramFeeds };
    if (a.denseDim > 0) feeds.dense = new ort.Tensor('float32', b.dense.subarray(s * a.denseDim, e * a.denseDim), [e - s, a.denseDim]);
    if (a.maxTokens > 0) feeds.tokens = new ort.Tensor('int32', b.tokens.subarray(s * a.maxTokens, e * a.maxTokens), [e - s, a.maxTokens]);
    const r = await session.run(feeds, ['logit']);
    out.set(r.logit!.data as Float32Array, s);
  }
  return out;
}

/**
 * Session options of the train step. On the CPU it runs on one thread: ONNX Runtime's ScatterND
 * (the n-gram tables' gradients) is not thread-safe for duplicate rows, and a single thread keeps
 * every model byte-identical for the same seed. For these shapes one thread was also faster than
 * an order-preserving ScatterElements on two (56,300 against 33,800 samples/s, bench/RESULTS.md).
 */
export function stepSessionOptions(provider: 'cpu' | 'cuda', threads = 0): ort.InferenceSession.SessionOptions {
  return { executionProviders: [provider], intraOpNumThreads: provider === 'cpu' ? 1 : threads, interOpNumThreads: 1 };
}

export function forwardSession(a: Architecture, provider: 'cpu' | 'cuda' = 'cpu', threads = 0): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(buildForwardGraph(a), { executionProviders: [provider], intraOpNumThreads: threads, interOpNumThreads: 1 });
}

/**
 * Trains the classifier with the ONNX train-step graph: seeded init, shuffling and dropout masks,
 * mini-batch AdamW (FTRL-Proximal for the wide table), optional linear learning-rate decay,
 * validation after each epoch, early stopping with patience, best weights kept.
 */
export async function train(data: TrainData, cfg: TrainConfig, opts: TrainOptions = {}): Promise<TrainResult> {
  const a = architectureFor(data.shape, cfg);
  const specs = paramSpecs(a);
  const stepGraph = buildTrainStepGraph(a);
  const provider = await chooseProvider(opts.provider ?? 'auto', opts.gpuCount ?? 0, stepGraph, opts.log);
  const stepSession = await ort.InferenceSession.create(stepGraph, stepSessionOptions(provider, opts.threads ?? 0));
  const fwd = await forwardSession(a, provider, opts.threads ?? 0);
  const st = opts.resume ?? freshState(a, cfg.seed);
  // Fitted from the train split alone, so a resumed run recomputes exactly the same constants.
  const constants = fitConstants(a, data.train, cfg.minDf);
  const withConstants = (params: Map<string, Float32Array>): Map<string, Float32Array> => new Map([...params, ...constants]);
  const rng = new Prng(Uint32Array.from(st.rng));
  const [w0, w1] = classWeights(data.train.labels!, cfg.classWeight);
  const scalar = (v: number): ort.Tensor => new ort.Tensor('float32', Float32Array.of(v), []);
  const wd = scalar(cfg.weightDecay);
  const textL2 = scalar(cfg.textL2 ?? 0);
  const wideL2 = scalar(cfg.wideL2 ?? FTRL_DEFAULTS.l2);
  const wideLr = scalar(cfg.wideLearningRate ?? FTRL_DEFAULTS.alpha);
  const n = data.train.size;
  const totalSteps = cfg.epochs * Math.ceil(n / cfg.batchSize);
  // Linear decay of the Adam learning rate over the configured epochs (floor 2%), from the step
  // count alone so a resumed run continues on the same schedule.
  const rate = (step: number): number => (cfg.lrSchedule === 'linear' ? Math.max(0.02, 1 - step / totalSteps) : 1);
  const lowerIsBetter = cfg.earlyStopping.metric === 'val_loss';
  // The n-gram tables train row-sparse (each step reads and writes only the rows its batch uses)
  // unless a batch's token slots outnumber the table's rows: then most rows are in every batch
  // and updating the whole table is cheaper. Decided by the config alone, so results repeat.
  const rowSparse = a.maxTokens > 0 && a.textBuckets + 1 > cfg.batchSize * a.maxTokens;
  const sparseSpecs = rowSparse ? specs.filter((p) => p.sparse) : [];
  const denseSpecs = specs.filter((p) => !sparseSpecs.includes(p));
  const wholeConstants: Record<string, ort.Tensor> = {};
  if (!rowSparse) for (const c of constantSpecs(a)) wholeConstants[c.name] = new ort.Tensor('float32', constants.get(c.name)!, c.dims);
  const rows = new SparseRows(a.textBuckets, st.step);
  // Row-sparse steps write into these arrays in place, so the table states are fixed for the run.
  const sparseTables: TableState[] = sparseSpecs.map((p) => ({
    p: st.params.get(p.name)!, m: st.m.get(p.name)!, v: st.v.get(p.name)!, width: p.dims[1]!,
    decay: p.name === 'wide' ? ftrlDecay : embeddingDecay,
  }));
  let trainSeconds = 0;
  let trainedSamples = 0;
  let stoppedEarly = false;
  try {
    while (st.epoch < cfg.epochs) {
      if (st.best && st.stale >= cfg.earlyStopping.patience) { stoppedEarly = true; break; }
      const t0 = performance.now();
      const order = rng.permutation(n);
      let lossSum = 0;
      for (let s = 0; s < n; s += cfg.batchSize) {
        if (opts.signal?.aborted) throw new TrainingAborted(`Training was interrupted in epoch ${st.epoch + 1}`);
        const e = Math.min(n, s + cfg.batchSize);
        const bs = e - s;
        const b = gather(data.train, order, s, e);
        const r = rate(st.step);
        const feeds: Record<string, ort.Tensor> = {
          lr: scalar(cfg.learningRate * r), weight_decay: wd, step: scalar(st.step + 1),
          text_l2: textL2, wide_l2: wideL2, wide_lr: wideLr,
        };
        for (const p of denseSpecs) {
          feeds[p.name] = new ort.Tensor('float32', st.params.get(p.name)!, p.dims);
          feeds[`m_${p.name}`] = new ort.Tensor('float32', st.m.get(p.name)!, p.dims);
          feeds[`v_${p.name}`] = new ort.Tensor('float32', st.v.get(p.name)!, p.dims);
        }
        Object.assign(feeds, wholeConstants);
        if (a.maxTokens > 0) feeds.tokens = new ort.Tensor('int32', b.tokens, [bs, a.maxTokens]);
        const used = rowSparse ? rows.select(b.tokens) : undefined;
        if (used) {
          rows.gather(used, st.step, sparseTables).forEach((r, i) => {
            const p = sparseSpecs[i]!;
            const dims = [used.ids.length, p.dims[1]!];
            feeds[p.name] = new ort.Tensor('float32', r.p, dims);
            feeds[`m_${p.name}`] = new ort.Tensor('float32', r.m, dims);
            feeds[`v_${p.name}`] = new ort.Tensor('float32', r.v, dims);
          });
          for (const c of constantSpecs(a)) {
            feeds[c.name] = new ort.Tensor('float32', pick(constants.get(c.name)!, used.ids, 1), [used.ids.length]);
          }
          feeds.tokens = new ort.Tensor('int32', used.tokens, [bs, a.maxTokens]);
        }
        if (a.denseDim > 0) feeds.dense = new ort.Tensor('float32', b.dense, [bs, a.denseDim]);
        feeds.labels = new ort.Tensor('float32', b.labels, [bs]);
        const weights = new Float32Array(bs);
        for (let i = 0; i < bs; i++) weights[i] = (b.labels[i]! > 0.5 ? w1 : w0) / bs;
        feeds.weights = new ort.Tensor('float32', weights, [bs]);
        if (a.dropout > 0) {
          const keep = 1 / (1 - a.dropout);
          a.hidden.forEach((h, i) => {
            const mask = new Float32Array(bs * h);
            for (let j = 0; j < mask.length; j++) mask[j] = rng.next() < a.dropout ? 0 : keep;
            feeds[`mask${i}`] = new ort.Tensor('float32', mask, [bs, h]);
          });
        }
        const out = await stepSession.run(feeds);
        const updated = (name: string): { p: Float32Array; m: Float32Array; v: Float32Array } => ({
          p: out[`new_${name}`]!.data as Float32Array, m: out[`new_m_${name}`]!.data as Float32Array, v: out[`new_v_${name}`]!.data as Float32Array,
        });
        for (const p of denseSpecs) {
          const u = updated(p.name);
          st.params.set(p.name, u.p);
          st.m.set(p.name, u.m);
          st.v.set(p.name, u.v);
        }
        if (used) sparseSpecs.forEach((p, i) => rows.scatter(used, st.step + 1, sparseTables[i]!, updated(p.name)));
        const loss = (out.loss!.data as Float32Array)[0]!;
        if (!Number.isFinite(loss)) throw new Error(`The training loss became ${loss} at step ${st.step + 1}; lower learningRate`);
        lossSum += loss * bs;
        st.step++;
        if (opts.onProgress && st.step % (opts.progressEvery ?? 20) === 0) {
          opts.onProgress({ epoch: st.epoch + 1, step: st.step, trainLoss: lossSum / e, valLoss: null, valAuc: null });
        }
      }
      // Validation, the best copy and the checkpoint see every row as the dense update leaves it.
      if (rowSparse) rows.catchUpAll(st.step, sparseTables);
      const trainTime = (performance.now() - t0) / 1000;
      trainSeconds += trainTime;
      trainedSamples += n;
      const logits = await forwardLogits(fwd, a, withConstants(st.params), data.validation);
      const valLoss = bceFromLogits(logits, data.validation.labels!);
      const auc = rocAuc(logits, data.validation.labels!);
      const m: EpochMetrics = { epoch: st.epoch + 1, trainLoss: lossSum / n, valLoss, valAuc: Number.isNaN(auc) ? null : auc, seconds: (performance.now() - t0) / 1000 };
      st.history.push(m);
      st.epoch++;
      st.rng = rng.state();
      const metric = lowerIsBetter ? valLoss : (m.valAuc ?? -valLoss);
      if (!st.best || (lowerIsBetter ? metric < st.best.metric : metric > st.best.metric)) {
        st.best = { epoch: st.epoch, metric, params: copyMap(st.params) };
        st.stale = 0;
      } else {
        st.stale++;
      }
      opts.log?.debug({ ...m, provider }, 'epoch finished');
      // Checkpoint first: an epoch reported as done is always one a retry can resume after.
      await opts.onEpoch?.(st);
      opts.onProgress?.({ epoch: m.epoch, step: st.step, trainLoss: m.trainLoss, valLoss: m.valLoss, valAuc: m.valAuc });
    }
    if (st.best && st.stale >= cfg.earlyStopping.patience && st.epoch < cfg.epochs) stoppedEarly = true;
  } finally {
    await stepSession.release();
    await fwd.release();
  }
  const best = st.best!;
  const bestMetrics = st.history[best.epoch - 1]!;
  return {
    params: withConstants(best.params),
    history: st.history,
    bestEpoch: best.epoch,
    valLoss: bestMetrics.valLoss,
    valAuc: bestMetrics.valAuc,
    provider,
    stoppedEarly,
    samplesPerSecond: trainSeconds > 0 ? trainedSamples / trainSeconds : 0,
  };
}

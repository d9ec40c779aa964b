import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { paramSpecs, usesIdf, type Architecture } from '../../gpu-worker/model/architecture.js';
import { buildGradientGraph } from '../../gpu-worker/model/graphs.js';
import { initParams } from '../../gpu-worker/model/init.js';
import { Prng } from '../../gpu-worker/model/prng.js';
import { syntheticBatch } from './synthetic.js';

type Feeds = Record<string, ort.Tensor>;

async function check(a: Architecture, dropout: boolean): Promise<number> {
  const session = await ort.InferenceSession.create(buildGradientGraph(a, 'float64'));
  const rng = new Prng(11);
  const params = initParams(a, rng);
  const n = 6;
  const batch = syntheticBatch(n, a.denseDim, a.maxTokens, a.textBuckets, 3);
  // Repeat a token inside one row so the scatter-add of duplicate ids is exercised.
  if (a.maxTokens >= 2) { batch.tokens[0] = 2; batch.tokens[1] = 2; }
  const feeds: Feeds = {};
  const p64 = new Map<string, Float64Array>();
  for (const s of paramSpecs(a)) {
    const v = Float64Array.from(params.get(s.name)!, (x) => x + (s.init === 'zero' ? rng.normal() * 0.1 : 0));
    p64.set(s.name, v);
    feeds[s.name] = new ort.Tensor('float64', v, s.dims);
  }
  if (a.denseDim > 0) feeds.dense = new ort.Tensor('float64', Float64Array.from(batch.dense), [n, a.denseDim]);
  if (a.maxTokens > 0) feeds.tokens = new ort.Tensor('int32', batch.tokens, [n, a.maxTokens]);
  // A fitted-looking idf: padding 0, one bucket never seen in training (0), the rest in [1, 4).
  if (usesIdf(a)) feeds.idf = new ort.Tensor('float64', Float64Array.from({ length: a.textBuckets + 1 }, (_, i) => (i === 0 || i === 3 ? 0 : 1 + 3 * rng.next())), [a.textBuckets + 1]);
  feeds.labels = new ort.Tensor('float64', Float64Array.from(batch.labels!), [n]);
  feeds.weights = new ort.Tensor('float64', Float64Array.from({ length: n }, (_, i) => (i % 2 ? 0.7 : 1.3) / n), [n]);
  if (a.dropout > 0) {
    a.hidden.forEach((h, i) => {
      feeds[`mask${i}`] = new ort.Tensor('float64', Float64Array.from({ length: n * h }, () => (dropout && rng.next() < a.dropout ? 0 : 1 / (1 - a.dropout))), [n, h]);
    });
  }
  const base = await session.run(feeds);
  const loss = async (name: string, idx: number, delta: number): Promise<number> => {
    const v = Float64Array.from(p64.get(name)!);
    v[idx]! += delta;
    const out = await session.run({ ...feeds, [name]: new ort.Tensor('float64', v, feeds[name]!.dims) });
    return (out.loss!.data as Float64Array)[0]!;
  };
  let worst = 0;
  const h = 1e-6;
  for (const s of paramSpecs(a)) {
    const grad = base[`grad_${s.name}`]!.data as Float64Array;
    const size = grad.length;
    // Every coordinate of small tensors; a seeded sample of the embedding table plus the used rows.
    const coords = size <= 64 ? [...Array(size).keys()] : [...new Set([...Array(24).keys()].map(() => Math.floor(rng.next() * size)).concat([2 * a.embedding, 2 * a.embedding + 1]))];
    for (const idx of coords) {
      const numeric = ((await loss(s.name, idx, h)) - (await loss(s.name, idx, -h))) / (2 * h);
      const analytic = grad[idx]!;
      const err = Math.abs(numeric - analytic) / Math.max(Math.abs(numeric), Math.abs(analytic), 1e-4);
      worst = Math.max(worst, err);
      if (err >= 1e-3) throw new Error(`gradient of ${s.name}[${idx}]: analytic ${analytic}, numeric ${numeric}`);
    }
  }
  await session.release();
  return worst;
}

describe('train-step gradients match finite differences (float64)', () => {
  it('dense + text, two hidden layers, dropout masks', async () => {
    expect(await check({ denseDim: 4, maxTokens: 5, textBuckets: 9, embedding: 3, hidden: [5, 4], dropout: 0.3 }, true)).toBeLessThan(1e-3);
  });
  it('wide & deep with tfidf pooling', async () => {
    expect(await check({ denseDim: 3, maxTokens: 5, textBuckets: 8, embedding: 3, hidden: [4], dropout: 0.2, pooling: 'tfidf', wide: true }, true)).toBeLessThan(1e-3);
  });
  it('wide & deep with mean pooling', async () => {
    expect(await check({ denseDim: 2, maxTokens: 4, textBuckets: 6, embedding: 2, hidden: [3], dropout: 0, pooling: 'mean', wide: true }, false)).toBeLessThan(1e-3);
  });
  it('text only (denseDim 0)', async () => {
    expect(await check({ denseDim: 0, maxTokens: 4, textBuckets: 7, embedding: 3, hidden: [4], dropout: 0 }, false)).toBeLessThan(1e-3);
  });
  it('tabular only (maxTokens 0)', async () => {
    expect(await check({ denseDim: 5, maxTokens: 0, textBuckets: 0, embedding: 8, hidden: [6], dropout: 0.2 }, true)).toBeLessThan(1e-3);
  });
  it('no hidden layers (logistic regression over dense + text)', async () => {
    expect(await check({ denseDim: 3, maxTokens: 3, textBuckets: 5, embedding: 2, hidden: [], dropout: 0 }, false)).toBeLessThan(1e-3);
  });
  it('the padding row never receives a gradient', async () => {
    const a: Architecture = { denseDim: 2, maxTokens: 4, textBuckets: 5, embedding: 3, hidden: [3], dropout: 0 };
    const session = await ort.InferenceSession.create(buildGradientGraph(a, 'float64'));
    const params = initParams(a, new Prng(1));
    const feeds: Feeds = {};
    for (const s of paramSpecs(a)) feeds[s.name] = new ort.Tensor('float64', Float64Array.from(params.get(s.name)!), s.dims);
    feeds.dense = new ort.Tensor('float64', new Float64Array([1, 2, 3, 4]), [2, 2]);
    feeds.tokens = new ort.Tensor('int32', new Int32Array([1, 0, 0, 0, 0, 0, 0, 0]), [2, 4]);
    feeds.labels = new ort.Tensor('float64', new Float64Array([1, 0]), [2]);
    feeds.weights = new ort.Tensor('float64', new Float64Array([0.5, 0.5]), [2]);
    feeds.idf = new ort.Tensor('float64', new Float64Array([0, 1.5, 2, 2, 2, 2]), [6]);
    const out = await session.run(feeds);
    const g = out.grad_emb!.data as Float64Array;
    expect([...g.slice(0, 3)]).toEqual([0, 0, 0]);
    expect(Math.abs(g[3]!) + Math.abs(g[4]!) + Math.abs(g[5]!)).toBeGreaterThan(0);
    await session.release();
  });
});

import crypto from 'node:crypto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ADAM } from '../../gpu-worker/model/adam.js';
import { FTRL_EPS } from '../../gpu-worker/model/ftrl.js';
import { stepSessionOptions } from '../../gpu-worker/train.js';
import { paramSpecs, type Architecture } from '../../gpu-worker/model/architecture.js';
import { buildGradientGraph, buildTrainStepGraph } from '../../gpu-worker/model/graphs.js';
import { initParams } from '../../gpu-worker/model/init.js';
import { Prng } from '../../gpu-worker/model/prng.js';
import { embeddingDecay, ftrlDecay, SparseRows, type TableState } from '../../gpu-worker/sparse-rows.js';
import type { FeatureBatch } from '../../features/types.js';
import { syntheticBatch } from './synthetic.js';

const A: Architecture = { denseDim: 3, maxTokens: 5, textBuckets: 40, embedding: 4, hidden: [], dropout: 0, pooling: 'tfidf', wide: true };

const scalar = (v: number): ort.Tensor => new ort.Tensor('float32', Float32Array.of(v), []);

/** The wide weight FTRL derives from its state: w = −z / ((√n + ε)/α + λ₂). */
const ftrlWeight = (z: number, n: number, alpha: number, l2: number): number => -z / ((Math.sqrt(n) + FTRL_EPS) / alpha + l2);

/**
 * Feeds of a train step over whole tables: the batch, every parameter, zero Adam moments, and for
 * the wide table the FTRL state `wide` (z, n) when given.
 */
function wholeTableFeeds(a: Architecture, params: Map<string, Float32Array>, b: FeatureBatch, idf: Float32Array, ftrl: { alpha: number; l2: number }, wide?: { z: Float32Array; n: Float32Array }): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {
    dense: new ort.Tensor('float32', b.dense, [b.size, a.denseDim]), labels: new ort.Tensor('float32', b.labels!, [b.size]),
    weights: new ort.Tensor('float32', new Float32Array(b.size).fill(1 / b.size), [b.size]), tokens: new ort.Tensor('int32', b.tokens, [b.size, a.maxTokens]),
    idf: new ort.Tensor('float32', idf, [idf.length]),
    lr: scalar(0.01), weight_decay: scalar(1e-4), step: scalar(1), text_l2: scalar(1e-3), wide_l2: scalar(ftrl.l2), wide_lr: scalar(ftrl.alpha),
  };
  for (const p of paramSpecs(a)) {
    const zeros = new Float32Array(params.get(p.name)!.length);
    feeds[p.name] = new ort.Tensor('float32', params.get(p.name)!, p.dims);
    feeds[`m_${p.name}`] = new ort.Tensor('float32', p.name === 'wide' && wide ? wide.z : zeros, p.dims);
    feeds[`v_${p.name}`] = new ort.Tensor('float32', p.name === 'wide' && wide ? wide.n : zeros, p.dims);
  }
  return feeds;
}

describe('row-sparse training of the n-gram tables', () => {
  it('renumbers a batch into the rows it uses, padding first, each row once', () => {
    const rows = new SparseRows(10, 0);
    const used = rows.select(Int32Array.of(7, 3, 0, 7, 10, 3));
    expect([...used.ids]).toEqual([0, 7, 3, 10]);
    expect([...used.tokens]).toEqual([1, 2, 0, 1, 3, 2]);
    expect([...rows.select(Int32Array.of(0, 0, 2)).ids]).toEqual([0, 2]);
    expect(() => rows.select(Int32Array.of(11))).toThrow(/token id 11 is outside the n-gram table \(1\.\.10\)/);
    expect(() => rows.select(Int32Array.of(-1))).toThrow(/outside the n-gram table/);
  });

  it("applies the embedding's missed Adam-moment decay when a row is next used; wide (FTRL) rows need none", () => {
    const wide: TableState = { p: Float32Array.of(0, 1, -2), m: Float32Array.of(0, 3, 4), v: Float32Array.of(0, 5, 6), width: 1, decay: ftrlDecay };
    const emb: TableState = { p: Float32Array.of(0, 0, 1, 1, 2, 2), m: Float32Array.of(0, 0, 1, 1, 1, 1), v: Float32Array.of(0, 0, 1, 1, 1, 1), width: 2, decay: embeddingDecay };
    const rows = new SparseRows(2, 0);
    // Row 1 is used in steps 1..3, row 2 is not used until step 4.
    for (let step = 0; step < 3; step++) {
      const used = rows.select(Int32Array.of(1));
      const [w, e] = rows.gather(used, step, [wide, emb]);
      rows.scatter(used, step + 1, wide, w!);
      rows.scatter(used, step + 1, emb, e!);
    }
    const [w, e] = rows.gather(rows.select(Int32Array.of(2)), 3, [wide, emb]);
    expect([w!.p[1], w!.m[1], w!.v[1]]).toEqual([-2, 4, 6]);
    expect(e!.p.subarray(2)).toEqual(Float32Array.of(2, 2));
    expect(e!.m[2]).toBeCloseTo(ADAM.beta1 ** 3, 6);
    expect(e!.v[2]).toBeCloseTo(ADAM.beta2 ** 3, 6);
    rows.catchUpAll(5, [wide, emb]);
    expect([...wide.p, ...wide.m, ...wide.v]).toEqual([0, 1, -2, 0, 3, 4, 0, 5, 6]);
    expect(emb.m[3]).toBeCloseTo(ADAM.beta1 ** 2, 6);
  });

  it("the train step on the batch's rows updates them exactly as AdamW and FTRL on the full tables would", async () => {
    const rng = new Prng(5);
    const params = initParams(A, rng);
    // FTRL state with history: z, n and the weight they imply (padding stays 0).
    const [wideL2, wideLr] = [2, 0.3];
    const z = Float32Array.from({ length: A.textBuckets + 1 }, (_, i) => (i === 0 ? 0 : rng.normal() * 0.1));
    const nAcc = Float32Array.from(z, (_, i) => (i === 0 ? 0 : 0.01 + rng.next()));
    params.set('wide', Float32Array.from(z, (zi, i) => ftrlWeight(zi, nAcc[i]!, wideLr, wideL2)));
    const batch = syntheticBatch(8, A.denseDim, A.maxTokens, A.textBuckets, 9);
    const idf = Float32Array.from({ length: A.textBuckets + 1 }, (_, i) => (i === 0 ? 0 : 1 + 2 * rng.next()));
    const n = batch.size;
    const labels = new ort.Tensor('float32', batch.labels!, [n]);
    const weights = new ort.Tensor('float32', new Float32Array(n).fill(1 / n), [n]);
    const dense = new ort.Tensor('float32', batch.dense, [n, A.denseDim]);
    const [lr, wd, textL2] = [0.01, 1e-3, 1e-2];

    // Reference: analytic gradients over the full tables, then the optimiser step in JavaScript.
    const gradSession = await ort.InferenceSession.create(buildGradientGraph(A, 'float32'));
    const full: Record<string, ort.Tensor> = { dense, labels, weights, tokens: new ort.Tensor('int32', batch.tokens, [n, A.maxTokens]), idf: new ort.Tensor('float32', idf, [idf.length]) };
    for (const p of paramSpecs(A)) full[p.name] = new ort.Tensor('float32', params.get(p.name)!, p.dims);
    const grads = await gradSession.run(full);
    await gradSession.release();

    const rows = new SparseRows(A.textBuckets, 0);
    const used = rows.select(batch.tokens);
    const stepSession = await ort.InferenceSession.create(buildTrainStepGraph(A));
    const feeds: Record<string, ort.Tensor> = {
      dense, labels, weights, tokens: new ort.Tensor('int32', used.tokens, [n, A.maxTokens]),
      idf: new ort.Tensor('float32', Float32Array.from(used.ids, (id) => idf[id]!), [used.ids.length]),
      lr: scalar(lr), weight_decay: scalar(wd), step: scalar(1), text_l2: scalar(textL2), wide_l2: scalar(wideL2), wide_lr: scalar(wideLr),
    };
    for (const p of paramSpecs(A)) {
      const width = p.dims[1] ?? 1;
      const value = p.sparse ? Float32Array.from({ length: used.ids.length * width }, (_, j) => params.get(p.name)![used.ids[Math.floor(j / width)]! * width + (j % width)]!) : params.get(p.name)!;
      const dims = p.sparse ? [used.ids.length, width] : p.dims;
      feeds[p.name] = new ort.Tensor('float32', value, dims);
      const moment = (full: Float32Array): Float32Array => (p.name === 'wide' ? Float32Array.from(used.ids, (id) => full[id]!) : new Float32Array(value.length));
      feeds[`m_${p.name}`] = new ort.Tensor('float32', moment(z), dims);
      feeds[`v_${p.name}`] = new ort.Tensor('float32', moment(nAcc), dims);
    }
    const out = await stepSession.run(feeds);
    await stepSession.release();

    const adamFirstStep = (p: number, g: number): number => {
      const m = (1 - ADAM.beta1) * g;
      const v = (1 - ADAM.beta2) * g * g;
      return p * (1 - lr * wd) - (lr / (1 - ADAM.beta1)) * m / (Math.sqrt(v) / Math.sqrt(1 - ADAM.beta2) + ADAM.eps);
    };
    // FTRL-Proximal (McMahan et al. 2013) on the batch's summed gradient.
    const ftrlStep = (w: number, g: number, i: number): number => {
      const gs = g * n;
      const n1 = nAcc[i]! + gs * gs;
      const sigma = (Math.sqrt(n1) - Math.sqrt(nAcc[i]!)) / wideLr;
      return ftrlWeight(z[i]! + gs - sigma * w, n1, wideLr, wideL2);
    };
    let checked = 0;
    for (const p of paramSpecs(A)) {
      const width = p.dims[1] ?? 1;
      const before = params.get(p.name)!;
      const g = grads[`grad_${p.name}`]!.data as Float32Array;
      const after = out[`new_${p.name}`]!.data as Float32Array;
      const at = (local: number, j: number): number => (p.sparse ? used.ids[local]! * width + j : local * width + j);
      for (let local = 0; local < after.length / width; local++) {
        for (let j = 0; j < width; j++) {
          const i = at(local, j);
          const expected = p.name === 'wide' ? ftrlStep(before[i]!, g[i]!, i)
            : adamFirstStep(before[i]!, g[i]! + (p.sparse ? textL2 * before[i]! : 0));
          expect(after[local * width + j]).toBeCloseTo(expected, 5);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(used.ids.length * (A.embedding + 1));
    // The padding row never moves.
    expect((out.new_emb!.data as Float32Array).subarray(0, A.embedding)).toEqual(new Float32Array(A.embedding));
  });
});

describe('FTRL on the wide table', () => {
  it('leaves every row the batch does not use exactly as it was, so skipping those rows loses nothing', async () => {
    const rng = new Prng(11);
    const params = initParams(A, rng);
    const [alpha, l2] = [0.3, 2];
    const rowsOf = A.textBuckets + 1;
    const z = Float32Array.from({ length: rowsOf }, (_, i) => (i === 0 ? 0 : rng.normal()));
    const nAcc = Float32Array.from(z, (_, i) => (i === 0 ? 0 : rng.next()));
    params.set('wide', Float32Array.from(z, (zi, i) => ftrlWeight(zi, nAcc[i]!, alpha, l2)));
    const batch = syntheticBatch(4, A.denseDim, A.maxTokens, A.textBuckets, 3);
    const idf = Float32Array.from({ length: rowsOf }, (_, i) => (i === 0 ? 0 : 1.5));
    const feeds = wholeTableFeeds(A, params, batch, idf, { alpha, l2 }, { z, n: nAcc });
    const session = await ort.InferenceSession.create(buildTrainStepGraph(A));
    const out = await session.run(feeds);
    await session.release();
    const inBatch = new Set(batch.tokens);
    const [w, zOut, nOut] = (['new_wide', 'new_m_wide', 'new_v_wide'] as const).map((k) => out[k]!.data as Float32Array);
    let untouched = 0;
    for (let id = 0; id < rowsOf; id++) {
      if (inBatch.has(id) && id !== 0) {
        expect(nOut![id]).toBeGreaterThan(nAcc[id]!);
        continue;
      }
      expect(w![id]).toBeCloseTo(params.get('wide')![id]!, 6);
      expect([zOut![id], nOut![id]]).toEqual([z[id], nAcc[id]]);
      untouched++;
    }
    expect(untouched).toBeGreaterThan(10);
  });
});

describe('the train step is reproducible bit for bit', () => {
  it('in the session the trainer creates, on a batch where many slots share a row', async () => {
    const a: Architecture = { denseDim: 3, maxTokens: 64, textBuckets: 3000, embedding: 16, hidden: [8], dropout: 0, pooling: 'tfidf', wide: true };
    const rng = new Prng(21);
    const params = initParams(a, rng);
    const n = 256;
    // Skewed ids: the common rows occur hundreds of times in the batch, as common words do.
    const tokens = Int32Array.from({ length: n * a.maxTokens }, () => 1 + Math.floor(rng.next() ** 3 * a.textBuckets));
    const batch: FeatureBatch = {
      size: n, denseDim: a.denseDim, dense: Float32Array.from({ length: n * a.denseDim }, () => rng.normal()),
      maxTokens: a.maxTokens, tokens, labels: Float32Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0)),
    };
    const idf = Float32Array.from({ length: a.textBuckets + 1 }, (_, i) => (i === 0 ? 0 : 1 + rng.next()));
    const feeds = wholeTableFeeds(a, params, batch, idf, { alpha: 0.3, l2: 2 });
    const session = await ort.InferenceSession.create(buildTrainStepGraph(a), stepSessionOptions('cpu'));
    const digests = new Set<string>();
    for (let run = 0; run < 16; run++) {
      const out = await session.run(feeds);
      const h = crypto.createHash('sha256');
      for (const k of Object.keys(out).sort()) h.update(Buffer.from((out[k]!.data as Float32Array).buffer));
      digests.add(h.digest('hex'));
    }
    await session.release();
    expect(digests.size).toBe(1);
  });
});

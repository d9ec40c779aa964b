import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  averagePrecision, brierScore, calibrationCurve, confusionAt, logLoss, permutationImportance, prCurve, rocAuc, rocCurve,
  selectThreshold, thresholdMetrics,
} from '../../metrics/index.js';
import type { FeatureBatch } from '../../features/types.js';
import { REPO_ROOT } from '../helpers/runs.js';

interface RefCase {
  name: string; y: number[]; p: number[]; threshold: number;
  accuracy: number; precision: number; recall: number; f1: number; log_loss: number; brier: number;
  confusion: { tn: number; fp: number; fn: number; tp: number };
  roc_auc: number | null; average_precision: number | null;
  roc?: { fpr: number[]; tpr: number[]; thresholds: (number | null)[] };
  pr: { precision: number[]; recall: number[]; thresholds: number[] };
  calibration_uniform_5: { probTrue: number[]; probPred: number[] };
  calibration_quantile_4: { probTrue: number[]; probPred: number[] };
  max_f1?: { threshold: number; f1: number };
  precision_target?: { target: number; threshold: number | null };
}

const ref = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'tests/reference/metrics-vectors.json'), 'utf8')) as { cases: RefCase[] };
const TOL = 1e-9;

function close(actual: readonly number[], expected: readonly number[], tol = TOL): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]!)).toBeLessThanOrEqual(tol));
}

describe('metrics agree with scikit-learn', () => {
  it('has the generated vectors', () => {
    expect(ref.cases.length).toBeGreaterThanOrEqual(10);
  });
  for (const c of ref.cases) {
    describe(c.name, () => {
      it('threshold metrics and confusion matrix', () => {
        const conf = confusionAt(c.y, c.p, c.threshold);
        expect(conf).toEqual(c.confusion);
        const m = thresholdMetrics(conf);
        close([m.accuracy, m.precision, m.recall, m.f1], [c.accuracy, c.precision, c.recall, c.f1]);
      });
      it('log loss and Brier score', () => {
        close([logLoss(c.y, c.p), brierScore(c.y, c.p)], [c.log_loss, c.brier]);
      });
      it('ROC AUC and curve', () => {
        if (c.roc_auc === null) expect(rocAuc(c.y, c.p)).toBeNaN();
        else expect(Math.abs(rocAuc(c.y, c.p) - c.roc_auc)).toBeLessThanOrEqual(TOL);
        if (c.roc) {
          const r = rocCurve(c.y, c.p);
          close(r.fpr, c.roc.fpr);
          close(r.tpr, c.roc.tpr);
          expect(r.thresholds.map((t) => (t === Infinity ? null : t))).toEqual(c.roc.thresholds);
        }
      });
      it('average precision and PR curve', () => {
        if (c.average_precision !== null) expect(Math.abs(averagePrecision(c.y, c.p) - c.average_precision)).toBeLessThanOrEqual(TOL);
        const pr = prCurve(c.y, c.p);
        close(pr.precision, c.pr.precision);
        close(pr.recall, c.pr.recall);
        close(pr.thresholds, c.pr.thresholds);
      });
      it('calibration curves (uniform and quantile bins)', () => {
        const u = calibrationCurve(c.y, c.p, 5, 'uniform');
        close(u.probTrue, c.calibration_uniform_5.probTrue);
        close(u.probPred, c.calibration_uniform_5.probPred);
        const q = calibrationCurve(c.y, c.p, 4, 'quantile');
        close(q.probTrue, c.calibration_quantile_4.probTrue);
        close(q.probPred, c.calibration_quantile_4.probPred);
      });
      if (c.max_f1) {
        it('threshold selection', () => {
          const best = selectThreshold(c.y, c.p, { strategy: 'max_f1' });
          expect(best.threshold).toBe(c.max_f1!.threshold);
          expect(Math.abs(best.f1 - c.max_f1!.f1)).toBeLessThanOrEqual(TOL);
          const t = selectThreshold(c.y, c.p, { strategy: 'precision', target: c.precision_target!.target });
          if (c.precision_target!.threshold === null) expect(t.reached).toBe(false);
          else {
            expect(t.reached).toBe(true);
            expect(t.threshold).toBe(c.precision_target!.threshold);
          }
        });
      }
    });
  }
});

describe('metric inputs', () => {
  it('refuses mismatched lengths, non-finite scores and out-of-range probabilities', () => {
    expect(() => rocAuc([0, 1], [0.5])).toThrow(/differ in length/);
    expect(() => rocAuc([0, 1], [0.5, NaN])).toThrow(/score 1 is not a finite number/);
    expect(() => calibrationCurve([0, 1], [0.5, 1.5])).toThrow(/outside \[0, 1\]/);
    expect(() => logLoss([], [])).toThrow(/no rows/);
    expect(() => selectThreshold([], [], { strategy: 'max_f1' })).toThrow(/no validation rows/);
  });
  it('float32 probabilities score like their float64 values to 1e-6', () => {
    const c = ref.cases.find((x) => x.name === 'float32 probabilities')!;
    const p32 = Float32Array.from(c.p);
    expect(Math.abs(rocAuc(Float32Array.from(c.y), p32) - c.roc_auc!)).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(logLoss(Float32Array.from(c.y), p32) - c.log_loss)).toBeLessThanOrEqual(1e-6);
  });
});

describe('permutation importance', () => {
  // Two dense features: the first decides the label, the second is noise.
  const n = 400;
  const dense = new Float32Array(n * 2);
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    dense[i * 2] = (i % 7) / 7 - 0.4;
    dense[i * 2 + 1] = ((i * 37) % 11) / 11;
    labels[i] = dense[i * 2]! > 0 ? 1 : 0;
  }
  const batch: FeatureBatch = { size: n, dense, denseDim: 2, tokens: new Int32Array(0), maxTokens: 0, labels };
  const predict = async (b: FeatureBatch) => Float32Array.from({ length: b.size }, (_, i) => 1 / (1 + Math.exp(-8 * b.dense[i * 2]!)));
  const groups = [{ name: 'signal', dense: [0] }, { name: 'noise', dense: [1] }];

  it('ranks the feature the model uses first, the unused one at zero, reproducibly', async () => {
    const a = await permutationImportance(batch, groups, predict, rocAuc, { repeats: 3, seed: 7 });
    const b = await permutationImportance(batch, groups, predict, rocAuc, { repeats: 3, seed: 7 });
    expect(a).toEqual(b);
    expect(a[0]!.name).toBe('signal');
    expect(a[0]!.mean).toBeGreaterThan(0.3);
    expect(a.find((x) => x.name === 'noise')!.mean).toBe(0);
  });
});

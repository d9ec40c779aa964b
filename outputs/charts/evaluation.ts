import type { JsonValue, MimeBundle } from '../../core/mime.js';
import { chartBundle, r6 } from './vega.js';

const MAX_POINTS = 200;

/** Keeps at most `MAX_POINTS` evenly spaced points (always the first and last) so outputs stay small. */
export function thin<T>(points: readonly T[]): T[] {
  if (points.length <= MAX_POINTS) return [...points];
  const step = (points.length - 1) / (MAX_POINTS - 1);
  return Array.from({ length: MAX_POINTS }, (_, i) => points[Math.round(i * step)]!);
}

export function rocChart(fpr: readonly number[], tpr: readonly number[], auc: number): MimeBundle {
  const values = thin(fpr.map((x, i) => ({ fpr: r6(x), tpr: r6(tpr[i]!) })));
  return chartBundle('roc', `ROC curve (AUC ${auc.toFixed(4)})`, {
    layer: [
      { data: { values }, mark: { type: 'line', interpolate: 'step-after' }, encoding: { x: { field: 'fpr', type: 'quantitative', title: 'false positive rate' }, y: { field: 'tpr', type: 'quantitative', title: 'true positive rate' } } },
      { data: { values: [{ fpr: 0, tpr: 0 }, { fpr: 1, tpr: 1 }] }, mark: { type: 'line', strokeDash: [4, 4], color: 'gray' }, encoding: { x: { field: 'fpr', type: 'quantitative' }, y: { field: 'tpr', type: 'quantitative' } } },
    ],
  });
}

export function prChart(recall: readonly number[], precision: readonly number[], ap: number, baseRate: number): MimeBundle {
  const values = thin(recall.map((r, i) => ({ recall: r6(r), precision: r6(precision[i]!) })));
  return chartBundle('pr', `Precision–recall curve (average precision ${ap.toFixed(4)})`, {
    layer: [
      { data: { values }, mark: { type: 'line', interpolate: 'step-before' }, encoding: { x: { field: 'recall', type: 'quantitative' }, y: { field: 'precision', type: 'quantitative', scale: { domain: [0, 1] } } } },
      { data: { values: [{ y: r6(baseRate) }] }, mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' }, encoding: { y: { field: 'y', type: 'quantitative' } } },
    ],
  });
}

export function calibrationChart(probPred: readonly number[], probTrue: readonly number[], counts: readonly number[]): MimeBundle {
  const values = probPred.map((p, i) => ({ predicted: r6(p), observed: r6(probTrue[i]!), rows: counts[i]! }));
  return chartBundle('calibration', 'Calibration (reliability diagram)', {
    layer: [
      { data: { values }, mark: { type: 'line', point: true }, encoding: { x: { field: 'predicted', type: 'quantitative', title: 'mean predicted probability', scale: { domain: [0, 1] } }, y: { field: 'observed', type: 'quantitative', title: 'share positive', scale: { domain: [0, 1] } }, tooltip: [{ field: 'rows', type: 'quantitative' }] } },
      { data: { values: [{ predicted: 0, observed: 0 }, { predicted: 1, observed: 1 }] }, mark: { type: 'line', strokeDash: [4, 4], color: 'gray' }, encoding: { x: { field: 'predicted', type: 'quantitative' }, y: { field: 'observed', type: 'quantitative' } } },
    ],
  });
}

export function confusionChart(c: { tp: number; fp: number; tn: number; fn: number }, threshold: number): MimeBundle {
  const values = [
    { actual: 'positive', predicted: 'positive', rows: c.tp }, { actual: 'positive', predicted: 'negative', rows: c.fn },
    { actual: 'negative', predicted: 'positive', rows: c.fp }, { actual: 'negative', predicted: 'negative', rows: c.tn },
  ];
  const enc = { x: { field: 'predicted', type: 'nominal' }, y: { field: 'actual', type: 'nominal' } };
  return chartBundle('confusion', `Confusion matrix at threshold ${threshold.toFixed(4)}`, {
    data: { values },
    encoding: enc,
    layer: [
      { mark: 'rect', encoding: { color: { field: 'rows', type: 'quantitative', scale: { scheme: 'blues' } } } },
      { mark: { type: 'text', fontSize: 16 }, encoding: { text: { field: 'rows', type: 'quantitative' } } },
    ],
  });
}

export function importanceChart(items: readonly { name: string; mean: number; std: number }[], metric: string): MimeBundle {
  const values: JsonValue[] = items.map((i) => ({ feature: i.name, drop: r6(i.mean), low: r6(i.mean - i.std), high: r6(i.mean + i.std) }));
  return chartBundle('importance', `Permutation importance (drop in test ${metric})`, {
    data: { values },
    layer: [
      { mark: 'bar', encoding: { y: { field: 'feature', type: 'nominal', sort: '-x' }, x: { field: 'drop', type: 'quantitative', title: `${metric} drop when shuffled` } } },
      { mark: 'rule', encoding: { y: { field: 'feature', type: 'nominal', sort: '-x' }, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } },
    ],
  });
}

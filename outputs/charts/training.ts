import type { JsonValue, MimeBundle } from '../../core/mime.js';
import { chartBundle, r6 } from './vega.js';

export interface EpochPoint {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  valAuc: number | null;
}

/** Loss curves (train vs validation) per epoch, with validation AUC in a second panel. */
export function lossCurveChart(history: EpochPoint[], bestEpoch: number): MimeBundle {
  const values: JsonValue[] = [];
  for (const h of history) {
    values.push({ epoch: h.epoch, series: 'train loss', value: r6(h.trainLoss), panel: 'loss' });
    values.push({ epoch: h.epoch, series: 'validation loss', value: r6(h.valLoss), panel: 'loss' });
    if (h.valAuc !== null) values.push({ epoch: h.epoch, series: 'validation AUC', value: r6(h.valAuc), panel: 'AUC' });
  }
  const x = { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } };
  const color = { field: 'series', type: 'nominal', title: null };
  const rule = { data: { values: [{ epoch: bestEpoch }] }, mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' }, encoding: { x: { field: 'epoch', type: 'quantitative' } } };
  const panel = (name: string, title: string): Record<string, JsonValue> => ({
    height: 200,
    layer: [
      { transform: [{ filter: `datum.panel === '${name}'` }], mark: { type: 'line', point: true }, encoding: { x, y: { field: 'value', type: 'quantitative', title, scale: { zero: false } }, color } },
      rule,
    ],
  });
  return chartBundle('loss-curve', 'Training: loss per epoch', {
    data: { values },
    vconcat: [panel('loss', 'loss (binary cross-entropy)'), panel('AUC', 'validation AUC')],
    resolve: { scale: { color: 'independent' } },
  });
}

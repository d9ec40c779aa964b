import { MIME, type JsonValue, type MimeBundle } from '../../core/mime.js';
import type { FeatureShape } from '../../features/types.js';
import type { TrainResult } from '../../gpu-worker/train.js';
import { lossCurveChart } from '../../outputs/charts/training.js';
import { escapeHtml } from '../../outputs/html.js';

const fmt = (x: number | null): string => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(4));

/** Summary (markdown, HTML, JSON) and the loss-curve chart of a finished training. */
export function finetuneOutputs(r: TrainResult, info: { model: string; sha256: string; shape: FeatureShape; architecture: string; params: number; trainRows: number; valRows: number; resumedFrom: number }): MimeBundle[] {
  const rows: [string, string][] = [
    ['epochs run', `${r.history.length}${r.stoppedEarly ? ' (stopped early)' : ''}${info.resumedFrom > 0 ? `, resumed after epoch ${info.resumedFrom}` : ''}`],
    ['best epoch', String(r.bestEpoch)],
    ['validation loss', fmt(r.valLoss)],
    ['validation AUC', fmt(r.valAuc)],
    ['rows (train / validation)', `${info.trainRows} / ${info.valRows}`],
    ['features', `${info.shape.denseDim} dense, ${info.shape.maxTokens} token slots over ${info.shape.textBuckets} buckets`],
    ['architecture', info.architecture],
    ['parameters', String(info.params)],
    ['execution provider', r.provider],
    ['model', `${info.model} (sha256 ${info.sha256.slice(0, 12)}…)`],
  ];
  const md = ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`)].join('\n');
  const html = `<table class="loom-summary">${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
  const json: JsonValue = {
    bestEpoch: r.bestEpoch, valLoss: r.valLoss, valAuc: r.valAuc, provider: r.provider, stoppedEarly: r.stoppedEarly, sha256: info.sha256,
    history: r.history.map((h) => ({ epoch: h.epoch, trainLoss: h.trainLoss, valLoss: h.valLoss, valAuc: h.valAuc })),
  };
  return [
    { data: { [MIME.markdown]: md, [MIME.html]: html, [MIME.json]: json, [MIME.plain]: rows.map(([k, v]) => `${k}: ${v}`).join('\n') }, metadata: { loom: 'training-summary' } },
    lossCurveChart(r.history, r.bestEpoch),
  ];
}

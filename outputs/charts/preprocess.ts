import { MIME, type MimeBundle } from '../../core/mime.js';
import { escapeHtml, escapeMarkdown, htmlTable } from '../html.js';
import { chartBundle } from './vega.js';

export interface PreprocessSummary {
  table: string;
  sourceCell: string;
  rows: number;
  droppedNoLabel: number;
  label: string;
  positive: string;
  splits: { split: string; rows: number; positives: number }[];
  features: { numeric: string[]; categorical: string[]; boolean: string[]; text: string[] };
  denseDim: number;
  maxTokens: number;
  textBuckets: number;
}

/** Feature table summary, split sizes with class balance, and a class-balance bar chart. */
export function renderPreprocessOutputs(s: PreprocessSummary): MimeBundle[] {
  const kinds = (['numeric', 'categorical', 'boolean', 'text'] as const).filter((k) => s.features[k].length > 0);
  const md = `**${s.rows.toLocaleString('en-US')}** rows of \`${escapeMarkdown(s.sourceCell)}\` → feature table \`${escapeMarkdown(s.table)}\`: `
    + `${s.denseDim} dense features${s.maxTokens > 0 ? `, up to ${s.maxTokens} hashed text n-grams per row (${s.textBuckets.toLocaleString('en-US')} buckets)` : ''}; `
    + `label \`${escapeMarkdown(s.label)}\` = ${escapeMarkdown(JSON.stringify(s.positive))} is positive`
    + (s.droppedNoLabel > 0 ? `; ${s.droppedNoLabel.toLocaleString('en-US')} rows without a label left out` : '') + '.';
  const html = `<p><strong>${s.rows.toLocaleString('en-US')}</strong> rows → <code>${escapeHtml(s.table)}</code>, ${s.denseDim} dense features, `
    + `${s.maxTokens} token slots.</p>`
    + htmlTable(['kind', 'columns'], kinds.map((k) => [k, s.features[k].join(', ')]));
  const splitRows = s.splits.map((x) => [x.split, x.rows, x.positives, x.rows - x.positives, x.rows > 0 ? (x.positives / x.rows).toFixed(4) : '']);
  const bars = s.splits.flatMap((x) => [
    { split: x.split, class: 'positive', rows: x.positives },
    { split: x.split, class: 'negative', rows: x.rows - x.positives },
  ]);
  return [
    { data: { [MIME.markdown]: md, [MIME.html]: html, [MIME.json]: { ...s } }, metadata: { loom: 'summary' } },
    {
      data: {
        [MIME.html]: htmlTable(['split', 'rows', 'positive', 'negative', 'positive rate'], splitRows),
        [MIME.json]: s.splits.map((x) => ({ ...x, negatives: x.rows - x.positives, positiveRate: x.rows > 0 ? x.positives / x.rows : null })),
      },
      metadata: { loom: 'splits' },
    },
    chartBundle('class-balance', 'Class balance per split', {
      data: { values: bars },
      mark: 'bar',
      encoding: {
        x: { field: 'split', type: 'nominal', sort: ['train', 'validation', 'test'] },
        y: { field: 'rows', type: 'quantitative', stack: 'zero' },
        color: { field: 'class', type: 'nominal' },
        tooltip: [{ field: 'split' }, { field: 'class' }, { field: 'rows', type: 'quantitative' }],
      },
    }),
  ];
}

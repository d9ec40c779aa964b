import { MIME, type JsonValue, type MimeBundle } from '../../core/mime.js';
import type { ModelVersion } from '../../db/schema/models.js';

/** Metrics shown side by side, in this order, when present. */
const SHOWN = ['auc', 'pr_auc', 'log_loss', 'brier', 'accuracy', 'precision', 'recall', 'f1', 'threshold'];

const fmt = (v: JsonValue | undefined) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : v === undefined ? '—' : String(v));
const cell = (s: string) => s.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');

/** Markdown comparing the new version's metrics with the current champion's. */
export function comparisonMarkdown(model: string, next: ModelVersion, champion: ModelVersion | null): string {
  const keys = SHOWN.filter((k) => k in next.metrics || (champion && k in champion.metrics));
  const head = champion ? `| metric | v${next.version} (new) | v${champion.version} (champion) |\n|---|---|---|` : `| metric | v${next.version} (new) |\n|---|---|`;
  const rows = keys.map((k) => `| ${k} | ${fmt(next.metrics[k])} |${champion ? ` ${fmt(champion.metrics[k])} |` : ''}`);
  const lines = [`**${cell(model)} v${next.version}**${champion ? '' : ' (no champion yet)'}`, '', head, ...rows];
  if (keys.length === 0) lines.push('| (no metrics: no evaluate cell upstream) | — |' + (champion ? ' — |' : ''));
  return lines.join('\n');
}

export function lineageMarkdown(v: ModelVersion): string {
  const rows: [string, string | null][] = [
    ['run', v.runId], ['cell', v.cellId], ['dataset', v.datasetId], ['dataset hash', v.datasetHash],
    ['notebook version', v.notebookVersionId], ['artifact sha256', v.artifactSha256],
  ];
  return ['| lineage | |', '|---|---|', ...rows.map(([k, val]) => `| ${k} | ${val === null ? '—' : `\`${cell(val)}\``} |`)].join('\n');
}

export function deployOutputs(input: { model: string; version: ModelVersion; champion: ModelVersion | null; status: string }): MimeBundle[] {
  const { model, version } = input;
  return [{
    data: {
      [MIME.markdown]: `${input.status}\n\n${comparisonMarkdown(model, version, input.champion)}\n\n${lineageMarkdown(version)}`,
      [MIME.json]: {
        model, version: version.version, versionId: version.id, metrics: version.metrics,
        lineage: { runId: version.runId, cellId: version.cellId, datasetId: version.datasetId, datasetHash: version.datasetHash, notebookVersionId: version.notebookVersionId, params: version.params },
        artifactSha256: version.artifactSha256,
      },
    },
  }];
}

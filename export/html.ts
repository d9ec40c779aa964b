import { micromark } from 'micromark';
import { MIME, type JsonValue, type MimeBundle } from '../core/mime.js';
import type { CellSnapshot, RunSnapshot } from './types.js';
import { vegaLiteToSvg } from './vega-svg.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#1d2330}
h1{font-size:1.6rem}.meta{border-collapse:collapse;margin:1rem 0}.meta td{padding:2px 12px 2px 0;vertical-align:top}
.cell{border:1px solid #d6dae3;border-radius:6px;margin:1.2rem 0;overflow:hidden}
.cell header{background:#f3f5f9;padding:6px 10px;font-family:ui-monospace,monospace;font-size:13px;display:flex;gap:1rem;flex-wrap:wrap}
.cell pre.src{margin:0;padding:8px 10px;background:#fbfbfd;border-bottom:1px solid #e4e7ee;font-size:13px;overflow:auto}
.out{padding:8px 10px;overflow:auto}.out table{border-collapse:collapse;font-size:13px}.out td,.out th{border:1px solid #e1e4ea;padding:2px 6px}
.status-succeeded{color:#137333}.status-failed{color:#b3261e}.status-skipped,.status-cancelled{color:#6b7280}
.error{color:#b3261e;white-space:pre-wrap}pre.json{font-size:12px;max-height:24rem;overflow:auto}
`;

async function renderOutput(o: MimeBundle): Promise<string> {
  const d = o.data;
  const chart = d[MIME.vegaLite];
  if (chart !== undefined) {
    try {
      return `<div class="out chart">${await vegaLiteToSvg(chart)}</div>`;
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return `<div class="out"><p class="error">chart could not be rendered: ${escapeHtml(why)}</p><pre class="json">${escapeHtml(JSON.stringify(chart, null, 2))}</pre></div>`;
    }
  }
  // Loom's renderers escape every value they put in text/html, so it is embedded as is.
  const html = d[MIME.html];
  if (typeof html === 'string') return `<div class="out">${html}</div>`;
  const md = d[MIME.markdown];
  if (typeof md === 'string') return `<div class="out">${micromark(md)}</div>`;
  const json = d[MIME.json];
  if (json !== undefined) return `<div class="out"><pre class="json">${escapeHtml(JSON.stringify(json, null, 2))}</pre></div>`;
  const plain = d[MIME.plain];
  if (typeof plain === 'string') return `<div class="out"><pre>${escapeHtml(plain)}</pre></div>`;
  return '';
}

function seconds(c: CellSnapshot): string {
  return c.startedAt && c.finishedAt ? `${((c.finishedAt.getTime() - c.startedAt.getTime()) / 1000).toFixed(1)} s` : '';
}

async function renderCell(c: CellSnapshot, body: string): Promise<string> {
  const outputs = (await Promise.all(c.outputs.map(renderOutput))).join('\n');
  const error = c.error ? `<div class="out error">${escapeHtml(c.error)}</div>` : '';
  return `<section class="cell" id="cell-${escapeHtml(c.cellId)}">
<header><strong>${escapeHtml(c.cellId)}</strong><span>${escapeHtml(c.kind)}</span><span>${escapeHtml(c.queue)}</span><span class="status-${escapeHtml(c.status)}">${escapeHtml(c.status)}</span><span>attempts ${c.attempt}</span><span>${seconds(c)}</span></header>
${body ? `<pre class="src">${escapeHtml(body)}</pre>` : ''}${outputs}${error}
</section>`;
}

function paramValue(v: JsonValue): string {
  return escapeHtml(typeof v === 'string' ? v : JSON.stringify(v));
}

/**
 * A self-contained HTML report of a run: inline CSS, prose rendered from Markdown (raw HTML in
 * prose is escaped), each cell's config, outputs and status, and charts pre-rendered to inline
 * SVG — no scripts, nothing fetched when the file is opened.
 */
export async function exportRunToHtml(run: RunSnapshot): Promise<string> {
  const byId = new Map(run.cells.map((c) => [c.cellId, c]));
  const bodies = new Map((run.notebook?.cells ?? []).map((c) => [c.id, c.body]));
  const parts: string[] = [];
  const emitted = new Set<string>();
  for (const block of run.notebook?.blocks ?? []) {
    if (block.type === 'markdown') parts.push(`<div class="prose">${micromark(block.markdown)}</div>`);
    else {
      const c = byId.get(block.cellId);
      if (c) {
        emitted.add(c.cellId);
        parts.push(await renderCell(c, bodies.get(c.cellId) ?? ''));
      }
    }
  }
  for (const c of run.cells) if (!emitted.has(c.cellId)) parts.push(await renderCell(c, ''));
  const params = Object.entries(run.params).map(([k, v]) => `${escapeHtml(k)}=${paramValue(v)}`).join(', ') || '(none)';
  const title = `${run.notebookName} v${run.notebookVersion} — ${run.id}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(run.notebookName)} <small>v${run.notebookVersion}</small></h1>
<table class="meta">
<tr><td>run</td><td>${escapeHtml(run.id)}</td></tr>
<tr><td>status</td><td class="status-${escapeHtml(run.status)}">${escapeHtml(run.status)}${run.error ? ` — ${escapeHtml(run.error)}` : ''}</td></tr>
<tr><td>params</td><td>${params}</td></tr>
<tr><td>started</td><td>${run.startedAt?.toISOString() ?? '—'}</td></tr>
<tr><td>finished</td><td>${run.finishedAt?.toISOString() ?? '—'}</td></tr>
<tr><td>launched by</td><td>${escapeHtml(run.launchedBy ?? '—')}</td></tr>
</table>
${parts.join('\n')}
</body></html>
`;
}

import { HtmlFrame } from './HtmlFrame.js';
import { Markdown } from './Markdown.js';
import { VegaChart } from './VegaChart.js';

export interface CellOutput {
  seq: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

const VEGA_LITE = 'application/vnd.vegalite.v5+json';

/** Renders the richest MIME type of one output, as Jupyter does; JSON stays folded. */
export function OutputView({ output, cellId }: { output: CellOutput; cellId: string }) {
  const { data } = output;
  const role = typeof output.metadata.loom === 'string' ? output.metadata.loom : `output ${output.seq}`;
  const title = `${cellId} — ${role}`;
  if (data[VEGA_LITE] !== undefined) return <VegaChart spec={data[VEGA_LITE]} title={`Chart: ${title}`} />;
  if (typeof data['text/html'] === 'string') return <HtmlFrame html={data['text/html']} title={title} />;
  if (typeof data['text/markdown'] === 'string') return <Markdown text={data['text/markdown']} className="output-md" />;
  if (data['application/json'] !== undefined) {
    return (
      <details className="json">
        <summary>Details ({role})</summary>
        <pre>{JSON.stringify(data['application/json'], null, 2)}</pre>
      </details>
    );
  }
  if (typeof data['text/plain'] === 'string') return <pre className="plain">{data['text/plain']}</pre>;
  return <p className="muted">An output in a format this view does not show ({Object.keys(data).join(', ') || 'empty'}).</p>;
}

import { MIME, type JsonValue, type MimeBundle } from '../../core/mime.js';

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** A Vega-Lite chart as an output bundle, with a plain-text fallback for terminals. */
export function chartBundle(name: string, title: string, spec: Record<string, JsonValue>): MimeBundle {
  return {
    data: { [MIME.vegaLite]: { $schema: VEGA_LITE_SCHEMA, title, width: 360, height: 260, ...spec }, [MIME.plain]: `[chart: ${title}]` },
    metadata: { loom: name },
  };
}

/** Rounds for display and JSON size; full precision stays in the metrics. */
export function r6(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 1e6) / 1e6 : 0;
}

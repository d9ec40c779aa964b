import { parse, View, type Loader } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** A chart spec may name no files or URLs: a report renders only the data embedded in it. */
const noLoader: Loader = {
  load: () => Promise.reject(new Error('charts in reports may only use inline data')),
  sanitize: () => Promise.reject(new Error('charts in reports may only use inline data')),
  http: () => Promise.reject(new Error('charts in reports may only use inline data')),
  file: () => Promise.reject(new Error('charts in reports may only use inline data')),
};

/** Renders a Vega-Lite v5 spec to an SVG string, server-side (no browser, no canvas). */
export async function vegaLiteToSvg(spec: unknown): Promise<string> {
  const vg = compile(spec as TopLevelSpec).spec;
  const view = new View(parse(vg), { renderer: 'none', loader: noLoader });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

import { paramSpecs, type Architecture } from './architecture.js';
import type { Prng } from './prng.js';

/** Seeded initial parameters: He for ReLU layers, Xavier for the logit layer, N(0, 0.1) embeddings. */
export function initParams(a: Architecture, rng: Prng): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const p of paramSpecs(a)) {
    const n = p.dims.reduce((x, y) => x * y, 1);
    const data = new Float32Array(n);
    const fanIn = p.dims[0] ?? 1;
    const fanOut = p.dims[1] ?? 1;
    const std = p.init === 'he' ? Math.sqrt(2 / fanIn) : p.init === 'xavier' ? Math.sqrt(2 / (fanIn + fanOut)) : p.init === 'embedding' ? 0.1 : 0;
    if (std > 0) for (let i = 0; i < n; i++) data[i] = rng.normal() * std;
    if (p.init === 'embedding') data.fill(0, 0, p.dims[1]);
    out.set(p.name, data);
  }
  return out;
}

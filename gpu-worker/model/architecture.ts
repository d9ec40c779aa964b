import type { FeatureShape } from '../../features/types.js';

/** The purchase-intent classifier: [dense ‖ mean(embedding(tokens))] → MLP (ReLU, dropout) → logit. */
export interface Architecture {
  denseDim: number;
  maxTokens: number;
  textBuckets: number;
  /** Embedding width of the text tower (unused when maxTokens is 0). */
  embedding: number;
  hidden: number[];
  dropout: number;
}

export interface ParamSpec {
  name: string;
  dims: number[];
  /** Fan-in and fan-out for the initialiser. */
  init: 'he' | 'xavier' | 'zero' | 'embedding';
}

export function architectureFor(shape: FeatureShape, model: { hidden: number[]; dropout: number; embedding: number }): Architecture {
  return { denseDim: shape.denseDim, maxTokens: shape.maxTokens, textBuckets: shape.textBuckets, embedding: model.embedding, hidden: [...model.hidden], dropout: model.dropout };
}

export const hasText = (a: Architecture): boolean => a.maxTokens > 0;

/** Width of the MLP's input: dense features plus the text embedding. */
export function inputWidth(a: Architecture): number {
  return a.denseDim + (hasText(a) ? a.embedding : 0);
}

/** Every trainable tensor, in a fixed order (the checkpoint and graph input order). */
export function paramSpecs(a: Architecture): ParamSpec[] {
  const out: ParamSpec[] = [];
  // Row 0 is the padding id: it starts at zero and never receives a gradient.
  if (hasText(a)) out.push({ name: 'emb', dims: [a.textBuckets + 1, a.embedding], init: 'embedding' });
  let width = inputWidth(a);
  a.hidden.forEach((h, i) => {
    out.push({ name: `w${i}`, dims: [width, h], init: 'he' }, { name: `b${i}`, dims: [h], init: 'zero' });
    width = h;
  });
  out.push({ name: 'w_out', dims: [width, 1], init: 'xavier' }, { name: 'b_out', dims: [1], init: 'zero' });
  return out;
}

export function paramCount(a: Architecture): number {
  return paramSpecs(a).reduce((s, p) => s + p.dims.reduce((x, y) => x * y, 1), 0);
}

import type { FeatureShape } from '../../features/types.js';

/** How a row's n-gram embeddings become one vector. */
export type TextPooling = 'tfidf' | 'mean';

/**
 * The purchase-intent classifier: [dense ‖ pool(embedding(tokens))] → MLP (ReLU, dropout) → logit,
 * plus, with `wide`, a linear weight per n-gram bucket added to the logit (wide & deep).
 */
export interface Architecture {
  denseDim: number;
  maxTokens: number;
  textBuckets: number;
  /** Embedding width of the text tower (unused when maxTokens is 0). */
  embedding: number;
  hidden: number[];
  dropout: number;
  /**
   * `tfidf`: Σ idf·e / ‖idf‖₂ over the row's ids, with idf fitted on the train split (what makes
   * TF-IDF strong for linear text models); `mean`: the plain average. @default 'tfidf'
   */
  pooling?: TextPooling;
  /** A linear term over the same weighted n-grams, added to the logit. @default false */
  wide?: boolean;
}

export interface ParamSpec {
  name: string;
  dims: number[];
  /** Fan-in and fan-out for the initialiser. */
  init: 'he' | 'xavier' | 'zero' | 'embedding';
  /** Row-sparse n-gram tables (embedding, wide): trained with their own optimiser settings. */
  sparse?: boolean;
}

export function architectureFor(shape: FeatureShape, model: { hidden: number[]; dropout: number; embedding: number; pooling?: TextPooling; wide?: boolean }): Architecture {
  return {
    denseDim: shape.denseDim, maxTokens: shape.maxTokens, textBuckets: shape.textBuckets, embedding: model.embedding, hidden: [...model.hidden], dropout: model.dropout,
    pooling: model.pooling ?? 'tfidf', wide: model.wide ?? false,
  };
}

export const hasText = (a: Architecture): boolean => a.maxTokens > 0;
export const hasWide = (a: Architecture): boolean => hasText(a) && a.wide === true;
export const usesIdf = (a: Architecture): boolean => hasText(a) && (a.pooling ?? 'tfidf') === 'tfidf';

/** Width of the MLP's input: dense features plus the text embedding. */
export function inputWidth(a: Architecture): number {
  return a.denseDim + (hasText(a) ? a.embedding : 0);
}

/** Every trainable tensor, in a fixed order (the checkpoint and graph input order). */
export function paramSpecs(a: Architecture): ParamSpec[] {
  const out: ParamSpec[] = [];
  // Row 0 is the padding id: it starts at zero and never receives a gradient.
  if (hasText(a)) out.push({ name: 'emb', dims: [a.textBuckets + 1, a.embedding], init: 'embedding', sparse: true });
  let width = inputWidth(a);
  a.hidden.forEach((h, i) => {
    out.push({ name: `w${i}`, dims: [width, h], init: 'he' }, { name: `b${i}`, dims: [h], init: 'zero' });
    width = h;
  });
  out.push({ name: 'w_out', dims: [width, 1], init: 'xavier' }, { name: 'b_out', dims: [1], init: 'zero' });
  if (hasWide(a)) out.push({ name: 'wide', dims: [a.textBuckets + 1, 1], init: 'zero', sparse: true });
  return out;
}

/**
 * Fitted, non-trainable tensors: `idf` [buckets + 1] (0 for padding and for ids never seen in the
 * train split, so unseen n-grams are ignored rather than read from untrained rows).
 */
export function constantSpecs(a: Architecture): { name: string; dims: number[] }[] {
  return usesIdf(a) ? [{ name: 'idf', dims: [a.textBuckets + 1] }] : [];
}

/** One line for summaries, e.g. "MLP [64] over dense ‖ tfidf-pooled 64-d n-gram embedding, + wide n-gram term". */
export function describeArchitecture(a: Architecture): string {
  const inputs = [a.denseDim > 0 ? 'dense' : '', hasText(a) ? `${a.pooling ?? 'tfidf'}-pooled ${a.embedding}-d n-gram embedding` : ''].filter(Boolean).join(' ‖ ');
  const net = a.hidden.length > 0 ? `MLP [${a.hidden.join(', ')}] over ${inputs}` : `linear over ${inputs}`;
  return hasWide(a) ? `${net}, + wide n-gram term` : net;
}

export function paramCount(a: Architecture): number {
  return paramSpecs(a).reduce((s, p) => s + p.dims.reduce((x, y) => x * y, 1), 0);
}

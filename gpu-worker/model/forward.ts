import type { DType, GraphBuilder } from '../onnx/graph.js';
import { hasText, hasWide, usesIdf, type Architecture } from './architecture.js';

/** Names of the tensors the forward pass produced, for the backward pass. */
export interface ForwardTrace {
  /** Layer inputs h0..h_{L} (h0 = [dense ‖ text]); the last is the logit layer's input. */
  h: string[];
  /** Pre-activations of the hidden layers. */
  pre: string[];
  /** Per-token pooling weights (0 for padding), [N, L], when there is a text tower. */
  tokenWeights?: string;
  /** [N] */
  logit: string;
}

export interface ForwardInputs {
  dense?: string;
  tokens?: string;
  /** Dropout masks per hidden layer, already scaled by 1/(1-p); omitted at inference. */
  masks?: string[];
  /** The fitted idf vector, for `tfidf` pooling. */
  idf?: string;
  /** Parameter value names by parameter name. */
  params: (name: string) => string;
}

/** Emits the forward pass: embedding bag, concatenation, ReLU MLP with dropout, logit (+ wide term). */
export function emitForward(g: GraphBuilder, a: Architecture, dtype: DType, x: ForwardInputs): ForwardTrace {
  const parts: string[] = [];
  if (a.denseDim > 0) parts.push(x.dense!);
  let tokenWeights: string | undefined;
  if (hasText(a)) {
    const tokens = x.tokens!;
    const axis1 = g.constant([1], 'int64', [1]);
    if (usesIdf(a)) {
      // idf / ‖idf‖₂ over the row's slots: the TF-IDF vector with L2 norm (padding and unseen ids weigh 0).
      const w = g.op('Gather', [x.idf!, tokens], { axis: 0 });
      const norm = g.op('Sqrt', [g.op('ReduceSum', [g.op('Mul', [w, w]), axis1], { keepdims: 1 })]);
      tokenWeights = g.op('Div', [w, g.op('Max', [norm, g.constant([1e-6], dtype)])]);
    } else {
      // Mean over the non-padding ids of each row; an all-padding row embeds to zero.
      const mask = g.op('Cast', [g.op('Greater', [tokens, g.constant([0], 'int32')])], { to: dtype === 'float32' ? 1 : 11 });
      const count = g.op('Max', [g.op('ReduceSum', [mask, axis1], { keepdims: 1 }), g.constant([1], dtype)]);
      tokenWeights = g.op('Div', [mask, count]);
    }
    const gathered = g.op('Gather', [x.params('emb'), tokens], { axis: 0 });
    const weighted = g.op('Mul', [gathered, g.op('Unsqueeze', [tokenWeights, g.constant([2], 'int64', [1])])]);
    parts.push(g.op('ReduceSum', [weighted, g.constant([1], 'int64', [1])], { keepdims: 0 }));
  }
  const h: string[] = [parts.length === 1 ? parts[0]! : g.op('Concat', parts, { axis: 1 })];
  const pre: string[] = [];
  a.hidden.forEach((_, i) => {
    const z = g.op('Gemm', [h[i]!, x.params(`w${i}`), x.params(`b${i}`)]);
    pre.push(z);
    let act = g.op('Relu', [z]);
    const mask = x.masks?.[i];
    if (mask !== undefined) act = g.op('Mul', [act, mask]);
    h.push(act);
  });
  const z = g.op('Gemm', [h[h.length - 1]!, x.params('w_out'), x.params('b_out')]);
  let logit = g.op('Reshape', [z, g.constant([-1], 'int64', [1])]);
  if (hasWide(a)) {
    // Wide part: Σ weight·wide[id], a linear model over the same pooled n-grams.
    const perSlot = g.op('Reshape', [g.op('Gather', [x.params('wide'), x.tokens!], { axis: 0 }), g.constant([0, -1], 'int64', [2])]);
    logit = g.op('Add', [logit, g.op('ReduceSum', [g.op('Mul', [perSlot, tokenWeights!]), g.constant([1], 'int64', [1])], { keepdims: 0 })]);
  }
  return { h, pre, tokenWeights, logit };
}

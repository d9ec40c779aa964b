import type { DType, GraphBuilder } from '../onnx/graph.js';
import { hasText, type Architecture } from './architecture.js';

/** Names of the tensors the forward pass produced, for the backward pass. */
export interface ForwardTrace {
  /** Layer inputs h0..h_{L} (h0 = [dense ‖ text]); the last is the logit layer's input. */
  h: string[];
  /** Pre-activations of the hidden layers. */
  pre: string[];
  /** Per-token weights 1/count (0 for padding), [N, L], when there is a text tower. */
  tokenWeights?: string;
  /** [N] */
  logit: string;
}

export interface ForwardInputs {
  dense?: string;
  tokens?: string;
  /** Dropout masks per hidden layer, already scaled by 1/(1-p); omitted at inference. */
  masks?: string[];
  /** Parameter value names by parameter name. */
  params: (name: string) => string;
}

/** Emits the forward pass: embedding bag, concatenation, ReLU MLP with dropout, logit. */
export function emitForward(g: GraphBuilder, a: Architecture, dtype: DType, x: ForwardInputs): ForwardTrace {
  const parts: string[] = [];
  if (a.denseDim > 0) parts.push(x.dense!);
  let tokenWeights: string | undefined;
  if (hasText(a)) {
    const tokens = x.tokens!;
    // Mean over the non-padding ids of each row; an all-padding row embeds to zero.
    const mask = g.op('Cast', [g.op('Greater', [tokens, g.constant([0], 'int32')])], { to: dtype === 'float32' ? 1 : 11 });
    const count = g.op('Max', [g.op('ReduceSum', [mask, g.constant([1], 'int64', [1])], { keepdims: 1 }), g.constant([1], dtype)]);
    tokenWeights = g.op('Div', [mask, count]);
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
  const logit = g.op('Reshape', [z, g.constant([-1], 'int64', [1])]);
  return { h, pre, tokenWeights, logit };
}

import type { DType, GraphBuilder } from '../onnx/graph.js';
import { hasText, hasWide, type Architecture } from './architecture.js';
import type { ForwardInputs, ForwardTrace } from './forward.js';

/**
 * Emits analytic gradients of the loss with respect to every parameter, given dL/dlogit [N]:
 * Gemm (dW = hᵀ·dz, db = Σ dz, dh = dz·Wᵀ), dropout (× mask), ReLU (× [pre > 0]) and the
 * embedding pooling and the wide term (scatter-add of the slot gradients into the rows of the token ids).
 */
export function emitBackward(g: GraphBuilder, a: Architecture, dtype: DType, x: ForwardInputs, t: ForwardTrace, dLogit: string): Map<string, string> {
  const grads = new Map<string, string>();
  const axis0 = g.constant([0], 'int64', [1]);
  let dz = g.op('Unsqueeze', [dLogit, g.constant([1], 'int64', [1])]);
  const layers = a.hidden.length;
  const needInputGrad = hasText(a);
  grads.set('w_out', g.op('Gemm', [t.h[layers]!, dz], { transA: 1 }));
  grads.set('b_out', g.op('ReduceSum', [dz, axis0], { keepdims: 0 }));
  let wNext = x.params('w_out');
  for (let i = layers - 1; i >= 0; i--) {
    let dh = g.op('Gemm', [dz, wNext], { transB: 1 });
    const mask = x.masks?.[i];
    if (mask !== undefined) dh = g.op('Mul', [dh, mask]);
    const active = g.op('Cast', [g.op('Greater', [t.pre[i]!, g.constant([0], dtype)])], { to: dtype === 'float32' ? 1 : 11 });
    dz = g.op('Mul', [dh, active]);
    grads.set(`w${i}`, g.op('Gemm', [t.h[i]!, dz], { transA: 1 }));
    grads.set(`b${i}`, g.op('ReduceSum', [dz, axis0], { keepdims: 0 }));
    wNext = x.params(`w${i}`);
  }
  if (needInputGrad) {
    const dh0 = g.op('Gemm', [dz, wNext], { transB: 1 });
    const dEmbRow = a.denseDim > 0
      ? g.op('Slice', [dh0, g.constant([a.denseDim], 'int64', [1]), g.constant([a.denseDim + a.embedding], 'int64', [1]), g.constant([1], 'int64', [1])])
      : dh0;
    // Each token slot receives its row's gradient times its weight (0 for padding, so row 0 stays put).
    const updates = g.op('Mul', [
      g.op('Unsqueeze', [dEmbRow, g.constant([1], 'int64', [1])]),
      g.op('Unsqueeze', [t.tokenWeights!, g.constant([2], 'int64', [1])]),
    ]);
    grads.set('emb', scatterRows(g, dtype, x, 'emb', updates));
  }
  if (hasWide(a)) {
    // d logit / d wide[id] = the slot's pooling weight, summed over the slots holding that id.
    const updates = g.op('Unsqueeze', [g.op('Mul', [g.op('Unsqueeze', [dLogit, g.constant([1], 'int64', [1])]), t.tokenWeights!]), g.constant([2], 'int64', [1])]);
    grads.set('wide', scatterRows(g, dtype, x, 'wide', updates));
  }
  return grads;
}

/**
 * Scatter-adds per-slot updates [N, L, width] into a zero tensor shaped like table `name`, at the
 * rows of the token ids. ONNX Runtime's CPU ScatterND adds duplicate rows from several threads
 * without ordering them (measured: sums that vary run to run, and now and then lost updates), so
 * the trainer runs the CPU train step on one thread (see `stepSessionOptions`).
 */
function scatterRows(g: GraphBuilder, dtype: DType, x: ForwardInputs, name: string, updates: string): string {
  const indices = g.op('Unsqueeze', [g.op('Cast', [x.tokens!], { to: 7 }), g.constant([2], 'int64', [1])]);
  const zeros = g.op('ConstantOfShape', [g.op('Shape', [x.params(name)])], {
    value: { tensor: { dtype, dims: [1], data: dtype === 'float32' ? new Float32Array(1) : new Float64Array(1) } },
  });
  return g.op('ScatterND', [zeros, indices, updates], { reduction: 'add' });
}

/** Weighted binary cross-entropy on logits, stable for large |z|; returns loss (scalar) and dL/dz. */
export function emitLoss(g: GraphBuilder, dtype: DType, logit: string, labels: string, weights: string): { loss: string; dLogit: string } {
  // softplus(z) - z·y = max(z, 0) - z·y + log(1 + exp(-|z|))
  const softplus = g.op('Add', [g.op('Relu', [logit]), g.op('Log', [g.op('Add', [g.constant([1], dtype), g.op('Exp', [g.op('Neg', [g.op('Abs', [logit])])])])])]);
  const perRow = g.op('Sub', [softplus, g.op('Mul', [logit, labels])]);
  const loss = g.op('ReduceSum', [g.op('Mul', [perRow, weights])], { keepdims: 0 });
  const dLogit = g.op('Mul', [weights, g.op('Sub', [g.op('Sigmoid', [logit]), labels])]);
  return { loss, dLogit };
}

import type { DType, GraphBuilder } from '../onnx/graph.js';

/** Scalar inputs of the FTRL update: α (per-coordinate learning rate) and the L2 strength. */
export interface FtrlInputs {
  alpha: string;
  l2: string;
  /** Rows in the batch: the update works on the summed gradient, so `l2` is batch-size free. */
  rows: string;
}

/** Defaults for direct callers of the trainer; the finetune kind's schema holds the same values. */
export const FTRL_DEFAULTS = { alpha: 0.1, l2: 10 } as const;

/** Keeps 0/0 out of never-seen rows when there is no L2 penalty. */
export const FTRL_EPS = 1e-8;

/**
 * Emits one FTRL-Proximal update (McMahan et al., "Ad Click Prediction: a View from the Trenches",
 * 2013), the optimiser of the wide part of wide & deep models, on the summed gradient g:
 * σ = (√(n + g²) − √n)/α; z ← z + g − σ·w; n ← n + g²; w = −z / ((√n + ε)/α + λ₂).
 *
 * Why not gradient descent or Adam: the per-coordinate rate α/√n moves a rare n-gram as far as
 * its evidence allows (gradient descent leaves it near zero for many epochs, Adam moves it as far
 * as a common one), and the L2 penalty acts in closed form, so the weights head for the
 * regularised optimum as logistic regression's solver does. A row whose gradient is zero keeps
 * w, z and n exactly: the row-sparse step that skips it loses nothing. `z`, `n` ride in the
 * Adam-moment slots (`m_wide`, `v_wide`).
 */
export function emitFtrl(g: GraphBuilder, dtype: DType, x: FtrlInputs, w: string, grad: string, z: string, n: string, out: { p: string; m: string; v: string }): void {
  const gSum = g.op('Mul', [grad, x.rows]);
  const n1 = g.op('Add', [n, g.op('Mul', [gSum, gSum])], {}, out.v);
  const sqrtN1 = g.op('Sqrt', [n1]);
  const sigma = g.op('Div', [g.op('Sub', [sqrtN1, g.op('Sqrt', [n])]), x.alpha]);
  const z1 = g.op('Sub', [g.op('Add', [z, gSum]), g.op('Mul', [sigma, w])], {}, out.m);
  const denom = g.op('Add', [g.op('Div', [g.op('Add', [sqrtN1, g.constant([FTRL_EPS], dtype)]), x.alpha]), x.l2]);
  g.op('Neg', [g.op('Div', [z1, denom])], {}, out.p);
}

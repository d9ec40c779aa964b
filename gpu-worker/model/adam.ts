import type { DType, GraphBuilder } from '../onnx/graph.js';

export const ADAM = { beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

/** Scalar inputs the update needs: step count t (1-based), learning rate and weight decay. */
export interface AdamInputs {
  step: string;
  lr: string;
  weightDecay: string;
}

/**
 * Emits one AdamW update (decoupled weight decay, bias-corrected moments, PyTorch's arithmetic):
 * p ← p·(1 − lr·wd); m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
 * p ← p − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε).
 */
export class AdamEmitter {
  private readonly decay: string;
  private readonly stepSize: string;
  private readonly sqrtBc2: string;
  private readonly c: Record<'b1' | 'b2' | 'one_b1' | 'one_b2' | 'eps', string>;

  constructor(private readonly g: GraphBuilder, dtype: DType, x: AdamInputs) {
    const k = (v: number): string => g.constant([v], dtype);
    const one = k(1);
    this.c = { b1: k(ADAM.beta1), b2: k(ADAM.beta2), one_b1: k(1 - ADAM.beta1), one_b2: k(1 - ADAM.beta2), eps: k(ADAM.eps) };
    this.decay = g.op('Sub', [one, g.op('Mul', [x.lr, x.weightDecay])]);
    const bc1 = g.op('Sub', [one, g.op('Pow', [this.c.b1, x.step])]);
    const bc2 = g.op('Sub', [one, g.op('Pow', [this.c.b2, x.step])]);
    this.stepSize = g.op('Div', [x.lr, bc1]);
    this.sqrtBc2 = g.op('Sqrt', [bc2]);
  }

  /** Emits the update of one parameter into the given output names. */
  update(p: string, grad: string, m: string, v: string, out: { p: string; m: string; v: string }): void {
    const g = this.g;
    const c = this.c;
    const decayed = g.op('Mul', [p, this.decay]);
    const m1 = g.op('Add', [g.op('Mul', [c.b1, m]), g.op('Mul', [c.one_b1, grad])], {}, out.m);
    const v1 = g.op('Add', [g.op('Mul', [c.b2, v]), g.op('Mul', [c.one_b2, g.op('Mul', [grad, grad])])], {}, out.v);
    const denom = g.op('Add', [g.op('Div', [g.op('Sqrt', [v1]), this.sqrtBc2]), c.eps]);
    g.op('Sub', [decayed, g.op('Mul', [this.stepSize, g.op('Div', [m1, denom])])], {}, out.p);
  }
}

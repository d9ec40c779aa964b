import { GraphBuilder, type Dim, type DType } from '../onnx/graph.js';
import { constantSpecs, hasText, paramSpecs, usesIdf, type Architecture } from './architecture.js';
import { AdamEmitter } from './adam.js';
import { emitBackward, emitLoss } from './backward.js';
import { emitFtrl } from './ftrl.js';
import { emitForward, type ForwardInputs } from './forward.js';

export const OPSET = 18;

/** Declares the batch inputs the architecture uses (`dense` float [N, D], `tokens` int32 [N, L]). */
function batchInputs(g: GraphBuilder, a: Architecture, dtype: DType): { dense?: string; tokens?: string } {
  return {
    dense: a.denseDim > 0 ? g.input('dense', dtype, ['N', a.denseDim]) : undefined,
    tokens: hasText(a) ? g.input('tokens', 'int32', ['N', a.maxTokens]) : undefined,
  };
}

/**
 * Dims of a parameter or constant as a graph input. With `rows`, the n-gram tables and idf hold
 * only the `U` rows one batch uses (its token ids renumbered into them, see `sparse-rows.ts`).
 */
function inputDims(dims: number[], sparse: boolean | undefined, rows: boolean): Dim[] {
  return rows && sparse ? ['U', ...dims.slice(1)] : dims;
}

/** Trainable parameters and fitted constants (`idf`) as graph inputs. */
function paramInputs(g: GraphBuilder, a: Architecture, dtype: DType, rows = false): { params: (name: string) => string; idf?: string } {
  for (const p of paramSpecs(a)) g.input(p.name, dtype, inputDims(p.dims, p.sparse, rows));
  for (const c of constantSpecs(a)) g.input(c.name, dtype, inputDims(c.dims, true, rows));
  return { params: (name) => name, idf: usesIdf(a) ? 'idf' : undefined };
}

function trainingPrelude(g: GraphBuilder, a: Architecture, dtype: DType, rows = false): { x: ForwardInputs; labels: string; weights: string } {
  const p = paramInputs(g, a, dtype, rows);
  const batch = batchInputs(g, a, dtype);
  const labels = g.input('labels', dtype, ['N']);
  // Per-row loss weights, class weight / batch size, computed by the trainer.
  const weights = g.input('weights', dtype, ['N']);
  const masks = a.dropout > 0 ? a.hidden.map((h, i) => g.input(`mask${i}`, dtype, ['N', h])) : undefined;
  return { x: { ...batch, masks, ...p }, labels, weights };
}

/**
 * The train step: inputs are parameters (the n-gram tables as the batch's `U` rows, the tokens
 * renumbered into them), fitted constants (likewise), Adam moments (`m_<p>`, `v_<p>`; the wide
 * table's FTRL z and n, see `ftrl.ts`), `step`, `lr`, `weight_decay`, the embedding's L2 penalty
 * (`text_l2`), the wide table's FTRL α (`wide_lr`) and L2 (`wide_l2`) and the batch (with dropout
 * masks from Loom's seeded PRNG); outputs are the updated tensors (`new_<p>`, `new_m_<p>`,
 * `new_v_<p>`) and `loss` (data term only).
 */
export function buildTrainStepGraph(a: Architecture, dtype: DType = 'float32'): Uint8Array {
  const g = new GraphBuilder('loom_train_step');
  const { x, labels, weights } = trainingPrelude(g, a, dtype, true);
  const specs = paramSpecs(a);
  const dims = (p: (typeof specs)[number]): Dim[] => inputDims(p.dims, p.sparse, true);
  for (const p of specs) {
    g.input(`m_${p.name}`, dtype, dims(p));
    g.input(`v_${p.name}`, dtype, dims(p));
  }
  const adam = new AdamEmitter(g, dtype, { step: g.input('step', dtype, []), lr: g.input('lr', dtype, []), weightDecay: g.input('weight_decay', dtype, []) });
  const textL2 = g.input('text_l2', dtype, []);
  const wideL2 = g.input('wide_l2', dtype, []);
  const wideLr = g.input('wide_lr', dtype, []);
  const rows = g.op('Cast', [g.op('Shape', [labels])], { to: dtype === 'float32' ? 1 : 11 });
  const trace = emitForward(g, a, dtype, x);
  const { loss, dLogit } = emitLoss(g, dtype, trace.logit, labels, weights);
  const grads = emitBackward(g, a, dtype, x, trace, dLogit);
  for (const p of specs) {
    const out = { p: `new_${p.name}`, m: `new_m_${p.name}`, v: `new_v_${p.name}` };
    if (p.name === 'wide') {
      emitFtrl(g, dtype, { alpha: wideLr, l2: wideL2, rows }, p.name, grads.get(p.name)!, `m_${p.name}`, `v_${p.name}`, out);
    } else {
      // The embedding table carries an L2 penalty in the gradient (as in ridge regression): under
      // Adam it pulls the rows of n-grams absent from the batch towards zero between their occurrences.
      const grad = p.sparse ? g.op('Add', [grads.get(p.name)!, g.op('Mul', [textL2, p.name])]) : grads.get(p.name)!;
      adam.update(p.name, grad, `m_${p.name}`, `v_${p.name}`, out);
    }
    g.output(out.p, dtype, dims(p));
    g.output(out.m, dtype, dims(p));
    g.output(out.v, dtype, dims(p));
  }
  g.output('loss', dtype, [], loss);
  return g.toBytes({ opset: OPSET });
}

/** Loss and its gradients (`grad_<p>`) only: what the gradient checks compare to finite differences. */
export function buildGradientGraph(a: Architecture, dtype: DType = 'float64'): Uint8Array {
  const g = new GraphBuilder('loom_gradients');
  const { x, labels, weights } = trainingPrelude(g, a, dtype);
  const trace = emitForward(g, a, dtype, x);
  const { loss, dLogit } = emitLoss(g, dtype, trace.logit, labels, weights);
  const grads = emitBackward(g, a, dtype, x, trace, dLogit);
  for (const p of paramSpecs(a)) g.output(`grad_${p.name}`, dtype, p.dims, grads.get(p.name));
  g.output('loss', dtype, [], loss);
  return g.toBytes({ opset: OPSET });
}

function inferenceOutputs(g: GraphBuilder, logit: string): void {
  g.output('logit', 'float32', ['N'], logit);
  g.output('probability', 'float32', ['N'], g.op('Sigmoid', ['logit']));
}

/** Forward pass with parameters as inputs: validation during training, no dropout. */
export function buildForwardGraph(a: Architecture): Uint8Array {
  const g = new GraphBuilder('loom_forward');
  const p = paramInputs(g, a, 'float32');
  const trace = emitForward(g, a, 'float32', { ...batchInputs(g, a, 'float32'), ...p });
  inferenceOutputs(g, trace.logit);
  return g.toBytes({ opset: OPSET });
}

/** The deployable model: parameters and fitted constants baked in as initializers; `dense`, `tokens` → `logit`, `probability`. */
export function buildInferenceGraph(a: Architecture, params: Map<string, Float32Array>, metadata: Record<string, string>): Uint8Array {
  const g = new GraphBuilder('loom_model');
  const batch = batchInputs(g, a, 'float32');
  for (const p of [...paramSpecs(a), ...constantSpecs(a)]) g.initializer(p.name, 'float32', p.dims, params.get(p.name)!);
  const trace = emitForward(g, a, 'float32', { ...batch, params: (n) => n, idf: usesIdf(a) ? 'idf' : undefined });
  inferenceOutputs(g, trace.logit);
  return g.toBytes({ opset: OPSET, metadata, docString: 'Loom purchase-intent classifier' });
}

/** Mean binary cross-entropy of logits against 0/1 labels (stable for large |z|). */
export function bceFromLogits(logits: Float32Array, labels: Float32Array): number {
  let s = 0;
  for (let i = 0; i < logits.length; i++) {
    const z = logits[i]!;
    s += Math.max(z, 0) - z * labels[i]! + Math.log1p(Math.exp(-Math.abs(z)));
  }
  return logits.length === 0 ? NaN : s / logits.length;
}

/** ROC AUC by the rank-sum formula, ties counted half; NaN when only one class is present. */
export function rocAuc(scores: Float32Array, labels: Float32Array): number {
  const idx = Array.from(scores.keys()).sort((a, b) => scores[a]! - scores[b]!);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]!] === scores[idx[i]!]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (labels[idx[k]!]! > 0.5) { pos++; rankSum += avgRank; }
    i = j + 1;
  }
  const neg = idx.length - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export type ClassWeight = 'balanced' | 'none' | { 0: number; 1: number };

/** Loss weight of each class; `balanced` = n / (2 · n_class), as scikit-learn computes it. */
export function classWeights(labels: Float32Array, spec: ClassWeight): [number, number] {
  if (spec === 'none') return [1, 1];
  if (spec !== 'balanced') return [spec[0], spec[1]];
  let pos = 0;
  for (const y of labels) if (y > 0.5) pos++;
  const neg = labels.length - pos;
  const n = labels.length;
  return [neg > 0 ? n / (2 * neg) : 1, pos > 0 ? n / (2 * pos) : 1];
}

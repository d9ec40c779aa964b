/** Float64 machine epsilon: scikit-learn clips probabilities to [eps, 1 − eps] for log loss. */
const EPS = 2.220446049250313e-16;

function check(y: ArrayLike<number>, p: ArrayLike<number>): void {
  if (y.length !== p.length) throw new Error(`labels (${y.length}) and probabilities (${p.length}) differ in length`);
  if (y.length === 0) throw new Error('no rows to score');
}

/** Mean binary cross-entropy in nats, like `sklearn.metrics.log_loss(y, p, labels=[0, 1])`. */
export function logLoss(y: ArrayLike<number>, p: ArrayLike<number>): number {
  check(y, p);
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - EPS, Math.max(EPS, p[i]!));
    s -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return s / y.length;
}

/** Mean squared error of the probabilities (`brier_score_loss`). */
export function brierScore(y: ArrayLike<number>, p: ArrayLike<number>): number {
  check(y, p);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i]! - p[i]!) ** 2;
  return s / y.length;
}

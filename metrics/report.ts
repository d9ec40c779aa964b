import { calibrationCurve, type CalibrationCurve } from './calibration.js';
import { confusionAt, thresholdMetrics, type Confusion } from './classification.js';
import { averagePrecision, prCurve, rocAuc, rocCurve, type PrCurve, type RocCurve } from './curves.js';
import { brierScore, logLoss } from './probabilistic.js';
import { selectThreshold, type ThresholdChoice, type ThresholdStrategy } from './threshold.js';

export interface EvaluationReport {
  /** Test-split figures; the threshold is chosen on validation. */
  metrics: { auc: number; pr_auc: number; log_loss: number; brier: number; accuracy: number; precision: number; recall: number; f1: number; threshold: number };
  confusion: Confusion;
  choice: ThresholdChoice;
  roc: RocCurve;
  pr: PrCurve;
  calibration: CalibrationCurve;
  rows: { validation: number; test: number; testPositives: number };
}

/** Every evaluation figure from validation and test scores (pure). */
export function evaluationReport(
  val: { y: ArrayLike<number>; p: ArrayLike<number> },
  test: { y: ArrayLike<number>; p: ArrayLike<number> },
  opts: { threshold: ThresholdStrategy; calibrationBins: number; calibrationStrategy: 'uniform' | 'quantile' },
): EvaluationReport {
  const choice = selectThreshold(val.y, val.p, opts.threshold);
  const confusion = confusionAt(test.y, test.p, choice.threshold);
  const m = thresholdMetrics(confusion);
  let positives = 0;
  for (let i = 0; i < test.y.length; i++) positives += test.y[i]!;
  return {
    metrics: {
      auc: rocAuc(test.y, test.p), pr_auc: averagePrecision(test.y, test.p), log_loss: logLoss(test.y, test.p), brier: brierScore(test.y, test.p),
      ...m, threshold: choice.threshold,
    },
    confusion,
    choice,
    roc: rocCurve(test.y, test.p),
    pr: prCurve(test.y, test.p),
    calibration: calibrationCurve(test.y, test.p, opts.calibrationBins, opts.calibrationStrategy),
    rows: { validation: val.y.length, test: test.y.length, testPositives: positives },
  };
}

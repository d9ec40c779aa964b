export { binaryClfCurve, rocCurve, rocAuc, prCurve, averagePrecision, trapezoid, type RocCurve, type PrCurve } from './curves.js';
export { confusionAt, thresholdMetrics, type Confusion, type ThresholdMetrics } from './classification.js';
export { logLoss, brierScore } from './probabilistic.js';
export { calibrationCurve, type CalibrationCurve } from './calibration.js';
export { selectThreshold, type ThresholdChoice, type ThresholdStrategy } from './threshold.js';
export { permutationImportance, seededRandom, type FeatureGroup, type Importance } from './importance.js';
export { checkGate, checkGates, formatMetric, type Gate, type GateCheck } from './gates.js';
export { evaluationReport, type EvaluationReport } from './report.js';

/** Loom's A/B statistics engine: pure functions over per-arm sufficient statistics. */
export { analyzeExperiment } from './analyze.js';
export type { Comparison, Decision, EffectResult, ExperimentResult, SequentialResult } from './analyze.js';
export { bayesianLift, DEFAULT_PRIOR } from './bayesian.js';
export { chiSquareCdf, chiSquareSf } from './chi-square.js';
export { cupedAdjust } from './cuped.js';
export { criticalValue, testEstimate, twoSidedPValue } from './inference.js';
export { summarise } from './moments.js';
export { adjustedIntervalAlpha, bhAdjust, holmAdjust } from './multiple-testing.js';
export { erfc, normalCdf, normalIsf, normalPdf, normalQuantile, normalSf } from './normal.js';
export { twoProportionZTest } from './proportions.js';
export { ratioSummary } from './ratio.js';
export { confidenceSequence, sequentialRho } from './sequential.js';
export { sampleRatioMismatch, SRM_THRESHOLD } from './srm.js';
export { studentTCdf, studentTIsf, studentTPdf, studentTQuantile, studentTSf } from './student-t.js';
export { relativeLift, welchDifference } from './two-sample.js';
export type * from './types.js';
export { LIMITS, validateExperiment } from './validate.js';

/**
 * Prints the Hillstrom results table for docs/statistics.md from Loom's own engine.
 * Run: npx tsx tests/reference/stats/hillstrom-report.ts
 */
import { analyzeExperiment, type MetricSpec } from '../../../stats/index.js';
import { CONTROL, hillstromArms } from '../../stats/hillstrom-stats.js';

const arms = hillstromArms();
const metrics: MetricSpec[] = [{ name: 'visit', type: 'proportion' }, { name: 'conversion', type: 'proportion' }, { name: 'spend', type: 'mean' }];
const base = { arms, control: CONTROL, metrics, correction: 'holm' as const, sequential: { nStar: 5000 } };
const plain = analyzeExperiment(base);
const cuped = analyzeExperiment({ ...base, cuped: true });

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${(100 * x).toFixed(1)}%`);
const p = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x < 1e-4 ? x.toExponential(1) : x.toFixed(4));
const num = (x: number | null | undefined, digits: number) => (x === null || x === undefined ? '–' : x.toFixed(digits));

console.log(`Arms: ${arms.map((a) => `${a.name} ${a.units.toLocaleString('en')}`).join(', ')}; SRM χ² = ${plain.srm.chiSquare.toFixed(3)}, p = ${plain.srm.pValue.toFixed(3)}\n`);
console.log('| arm vs No E-Mail | metric | control | treatment | difference (95% CI) | relative lift (95% CI) | p (Welch) | p (Holm, 6 tests) | always-valid 95% CS | CUPED var. reduction | chance to beat | decision |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const c of plain.comparisons) {
  const adj = cuped.comparisons.find((x) => x.arm === c.arm && x.metric === c.metric)!;
  const digits = c.metric === 'spend' ? 3 : 4;
  console.log(`| ${c.arm} | ${c.metric} | ${num(c.control.mean, digits)} | ${num(c.treatment.mean, digits)} | ${num(c.absolute.estimate, digits)} (${num(c.absolute.ci?.[0], digits)}, ${num(c.absolute.ci?.[1], digits)}) | ${pct(c.relative.estimate)} (${pct(c.relative.ci?.[0])}, ${pct(c.relative.ci?.[1])}) | ${p(c.absolute.pValue)} | ${p(c.absolute.adjustedPValue)} | (${num(c.sequential?.ci?.[0], digits)}, ${num(c.sequential?.ci?.[1], digits)}) | ${adj.cuped ? `${(100 * adj.cuped.varianceReduction).toFixed(2)}%` : '–'} | ${pct(c.bayesian?.chanceToBeatControl)} | ${c.decision} |`);
}

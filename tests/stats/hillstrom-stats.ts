/**
 * Sufficient statistics of the Hillstrom e-mail experiment per arm, computed the way the SQL
 * aggregate does (count, Σy, Σy², Σx, Σx², Σxy) from ../shared/data/hillstrom.csv.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { ArmStats, MetricStats } from '../../stats/index.js';

export const HILLSTROM_CSV = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'data', 'hillstrom.csv');
export const CONTROL = 'No E-Mail';
export const ARMS = [CONTROL, 'Mens E-Mail', 'Womens E-Mail'];
export const OUTCOMES = ['visit', 'conversion', 'spend'] as const;

export function hillstromArms(): ArmStats[] {
  const rows: Record<string, string>[] = parse(readFileSync(HILLSTROM_CSV), { columns: true });
  const arms = new Map<string, ArmStats>(ARMS.map((name) => [name, { name, units: 0, metrics: {} }]));
  const metric = (arm: ArmStats, name: string, withDenominator: boolean): MetricStats =>
    (arm.metrics[name] ??= { n: 0, sum: 0, sumSquares: 0, covariate: { sum: 0, sumSquares: 0, sumProducts: 0 }, ...(withDenominator ? { denominator: { sum: 0, sumSquares: 0, sumProducts: 0 } } : {}) });
  for (const row of rows) {
    const arm = arms.get(row.segment!)!;
    arm.units += 1;
    const history = Number(row.history);
    const visit = Number(row.visit);
    for (const name of OUTCOMES) {
      const y = Number(row[name]);
      const m = metric(arm, name, false);
      m.n += 1;
      m.sum += y;
      m.sumSquares += y * y;
      m.covariate!.sum += history;
      m.covariate!.sumSquares += history * history;
      m.covariate!.sumProducts += history * y;
    }
    const spend = Number(row.spend);
    const r = metric(arm, 'spend_per_visit', true);
    r.n += 1;
    r.sum += spend;
    r.sumSquares += spend * spend;
    r.denominator!.sum += visit;
    r.denominator!.sumSquares += visit * visit;
    r.denominator!.sumProducts += visit * spend;
  }
  return [...arms.values()];
}

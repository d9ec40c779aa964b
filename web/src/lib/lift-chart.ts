/** The parts of an experiment snapshot the lift chart reads (the API's ExperimentSnapshot). */
export interface SnapshotLike {
  asOf: string;
  results: Array<{ metric: string; role: string; relative: number | null; ci: number[] | null }>;
}

export interface LiftPoint { asOf: string; lift: number; lo: number | null; hi: number | null }

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The primary metric's name: the first result with role "primary", else the first result. */
export function primaryMetric(snapshots: SnapshotLike[]): string | null {
  for (const s of [...snapshots].reverse()) {
    const r = s.results.find((x) => x.role === 'primary') ?? s.results[0];
    if (r) return r.metric;
  }
  return null;
}

/** One point per snapshot with a finite lift for `metric`, oldest first. */
export function liftSeries(snapshots: SnapshotLike[], metric: string): LiftPoint[] {
  const points: LiftPoint[] = [];
  for (const s of snapshots) {
    const r = s.results.find((x) => x.metric === metric);
    if (!r || !finite(r.relative)) continue;
    const [lo, hi] = r.ci ?? [];
    const band = finite(lo) && finite(hi);
    points.push({ asOf: s.asOf, lift: r.relative, lo: band ? lo : null, hi: band ? hi : null });
  }
  return points.sort((a, b) => a.asOf.localeCompare(b.asOf));
}

/**
 * Vega-Lite: the always-valid interval as a band, the point estimate as a line with points, and a
 * rule at zero (no effect) so "the band crosses zero" is visible at a glance.
 */
export function liftChartSpec(points: LiftPoint[], metric: string): Record<string, unknown> {
  const banded = points.filter((p) => p.lo !== null && p.hi !== null);
  const x = { field: 'asOf', type: 'temporal', title: 'analysis time', axis: { tickCount: 6, labelOverlap: true } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    description: `Relative lift of ${metric} with its always-valid interval over time`,
    width: 'container',
    height: 240,
    layer: [
      { data: { values: banded }, mark: { type: 'area', opacity: 0.25, color: '#1d4ed8' }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: `lift of ${metric}`, axis: { format: '%' } }, y2: { field: 'hi' } } },
      { data: { values: points }, mark: { type: 'line', point: true, color: '#1d4ed8' }, encoding: { x, y: { field: 'lift', type: 'quantitative' }, tooltip: [{ field: 'asOf', type: 'temporal' }, { field: 'lift', format: '.2%' }, { field: 'lo', format: '.2%' }, { field: 'hi', format: '.2%' }] } },
      { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#4d5562', strokeDash: [4, 3] }, encoding: { y: { field: 'zero', type: 'quantitative' } } },
    ],
  };
}

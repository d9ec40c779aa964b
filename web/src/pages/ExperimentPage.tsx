import { useMemo, useState } from 'react';
import { useQuery } from '../api/use-query.js';
import { formatDate, formatInterval, formatNumber, formatPercent, formatPValue, srmStatus } from '../lib/format.js';
import { liftChartSpec, liftSeries, primaryMetric } from '../lib/lift-chart.js';
import { Link } from '../router.js';
import { ExperimentActions } from '../components/ExperimentActions.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { VegaChart } from '../components/VegaChart.js';

interface Result { metric: string; role: string; better: string; relative: number | null; ci: number[] | null; absolute: number | null; absoluteCi: number[] | null; pValue: number | null; eValue: number | null; verdict: string }
interface Srm { pValue: number; mismatch: boolean; chiSquare: number; observed: Record<string, number>; expected: Record<string, number> }
interface Data {
  experiment: {
    id: string; name: string; status: string; decision: string | null; reason: string | null; decidedAt: string | null; startedAt: string;
    modelName: string | null; runId: string | null; exposures: number; eventCounts: Record<string, number>;
    arms: Array<{ name: string; weight: number; modelAlias: string | null; modelVersionId: string | null; exposures: number }>;
    srm: Srm | null; current: Result[];
    snapshots: Array<{ asOf: string; results: Result[] }>;
  } | null;
}

const QUERY = `query($n: String!) { experiment(name: $n) { id name status decision reason decidedAt startedAt modelName runId exposures eventCounts
  arms { name weight modelAlias modelVersionId exposures } srm { pValue mismatch chiSquare observed expected }
  current { metric role better relative ci absolute absoluteCi pValue eValue verdict }
  snapshots { asOf results { metric role better relative ci absolute absoluteCi pValue eValue verdict } } } }`;

const VERDICT_TONE: Record<string, 'good' | 'bad' | 'neutral'> = { better: 'good', worse: 'bad' };

/** An A/B test: arms, exposures, sample-ratio check, lift over time, current results and decision. */
export function ExperimentPage({ name }: { name: string }) {
  const { data, error, reload } = useQuery<Data>(QUERY, { n: name });
  const [notice, setNotice] = useState<string | null>(null);
  const e = data?.experiment;
  const metric = useMemo(() => (e ? primaryMetric(e.snapshots) : null), [e]);
  const spec = useMemo(() => (e && metric ? liftChartSpec(liftSeries(e.snapshots, metric), metric) : null), [e, metric]);
  if (error) return <p className="error" role="alert">{error} <Link href="/experiments">All experiments</Link></p>;
  if (!data) return <p aria-live="polite">Loading experiment {name}…</p>;
  if (!e) return <p className="error" role="alert">There is no experiment named “{name}”. Pick one from the <Link href="/experiments">experiment list</Link>.</p>;
  const srm = srmStatus(e.srm);
  const totalWeight = e.arms.reduce((s, a) => s + a.weight, 0) || 1;
  return (
    <article aria-labelledby="exp-name" className="experiment">
      <div className="page-head">
        <h1 id="exp-name">Experiment {e.name}</h1>
        <StatusBadge label={e.status} tone={e.status === 'running' ? 'active' : 'neutral'} />
      </div>
      <p className="muted">
        started {formatDate(e.startedAt)}
        {e.modelName && <> · model <Link href={`/models/${encodeURIComponent(e.modelName)}`}>{e.modelName}</Link></>}
        {e.runId && <> · from <Link href={`/runs/${encodeURIComponent(e.runId)}`}>run {e.runId}</Link></>}
      </p>
      {notice && <p className="notice" role="status">{notice}</p>}
      <section className={`decision card ${e.decision ? '' : 'pending'}`} aria-labelledby="decision-title">
        <h2 id="decision-title">Decision</h2>
        {e.decision ? <p><strong data-decision={e.decision}>{e.decision}</strong>{e.decidedAt && <span className="muted"> on {formatDate(e.decidedAt)}</span>}{e.reason && <> — {e.reason}</>}</p> : <p className="muted">Not decided yet{e.reason ? ` — ${e.reason}` : ''}.</p>}
        {e.status === 'running' && <ExperimentActions experiment={e.name} onDone={(m) => { setNotice(m); reload(); }} />}
      </section>

      <section aria-labelledby="srm-title" className="card">
        <h2 id="srm-title">Traffic</h2>
        <p><StatusBadge label={srm.label} tone={srm.tone} />{srm.tone === 'bad' && <strong className="error"> Exposures do not match the arm weights; results are not trustworthy and promotion is blocked.</strong>}</p>
        <div className="scroll">
          <table className="list arms">
            <thead><tr><th scope="col">Arm</th><th scope="col">Weight</th><th scope="col">Serves</th><th scope="col">Exposures now</th><th scope="col">Last analysis: observed / expected</th></tr></thead>
            <tbody>{e.arms.map((a) => (
              <tr key={a.name}>
                <th scope="row">{a.name}</th>
                <td>{formatPercent(a.weight / totalWeight)}</td>
                <td>{a.modelAlias ? (e.modelName ? <Link href={`/models/${encodeURIComponent(e.modelName)}`}>{e.modelName}@{a.modelAlias}</Link> : a.modelAlias) : <span className="muted">no model</span>}</td>
                <td>{a.exposures.toLocaleString('en-US')}</td>
                <td>{formatNumber(e.srm?.observed[a.name], 1)} / {formatNumber(e.srm?.expected[a.name], 1)}</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
        <p>{e.exposures.toLocaleString('en-US')} customers exposed · events since exposure: {Object.entries(e.eventCounts).map(([k, v]) => `${k} ${Number(v).toLocaleString('en-US')}`).join(', ') || 'none yet'}</p>
      </section>

      <section aria-labelledby="lift-title" className="card">
        <h2 id="lift-title">Lift over time{metric ? `: ${metric}` : ''}</h2>
        {spec && e.snapshots.length > 0 ? <VegaChart spec={spec} title={`Lift of ${metric} with its always-valid interval; the dashed line is no effect`} /> : <p className="muted">No analysis yet; the first one runs on the experiment's schedule.</p>}
      </section>

      <section aria-labelledby="results-title">
        <h2 id="results-title">Current results</h2>
        {e.current.length === 0 ? <p className="muted">No results yet.</p> : (
          <div className="scroll">
            <table className="list results">
              <thead><tr><th scope="col">Metric</th><th scope="col">Role</th><th scope="col">Lift</th><th scope="col">Interval</th><th scope="col">Difference</th><th scope="col">p-value</th><th scope="col">e-value</th><th scope="col">Verdict</th></tr></thead>
              <tbody>{e.current.map((r) => (
                <tr key={r.metric} data-metric={r.metric}>
                  <th scope="row">{r.metric} <span className="muted">({r.better} is better)</span></th>
                  <td>{r.role}</td>
                  <td className="num">{formatPercent(r.relative, 2)}</td>
                  <td className="num">{formatInterval(r.ci)}</td>
                  <td className="num">{formatNumber(r.absolute)} {formatInterval(r.absoluteCi, false)}</td>
                  <td className="num">{formatPValue(r.pValue)}</td>
                  <td className="num">{formatNumber(r.eValue, 2)}</td>
                  <td><StatusBadge label={r.verdict.replace('_', ' ')} tone={VERDICT_TONE[r.verdict] ?? 'neutral'} /></td>
                </tr>
              ))}</tbody>
            </table>
          </div>
        )}
      </section>
    </article>
  );
}

import { useQuery } from '../api/use-query.js';
import { formatDate, srmStatus } from '../lib/format.js';
import { Link } from '../router.js';
import { StatusBadge } from '../components/StatusBadge.js';

interface Data { experiments: Array<{ id: string; name: string; status: string; decision: string | null; exposures: number; startedAt: string; modelName: string | null; srm: { pValue: number; mismatch: boolean } | null }> }

export function ExperimentList() {
  const { data, error } = useQuery<Data>(`{ experiments(first: 200) { id name status decision exposures startedAt modelName srm { pValue mismatch } } }`);
  return (
    <section aria-labelledby="exp-title">
      <div className="page-head"><h1 id="exp-title">Experiments</h1></div>
      {error && <p className="error" role="alert">{error}</p>}
      {!data && !error && <p aria-live="polite">Loading experiments…</p>}
      {data?.experiments.length === 0 && <p>No experiments yet. A notebook's <code>abtest</code> cell starts one.</p>}
      {data && data.experiments.length > 0 && (
        <div className="scroll">
          <table className="list">
            <thead><tr><th scope="col">Experiment</th><th scope="col">Model</th><th scope="col">Status</th><th scope="col">Exposures</th><th scope="col">Sample ratio</th><th scope="col">Started</th></tr></thead>
            <tbody>
              {data.experiments.map((e) => {
                const srm = srmStatus(e.srm);
                return (
                  <tr key={e.id}>
                    <td><Link href={`/experiments/${encodeURIComponent(e.name)}`}>{e.name}</Link></td>
                    <td>{e.modelName ? <Link href={`/models/${encodeURIComponent(e.modelName)}`}>{e.modelName}</Link> : <span className="muted">none</span>}</td>
                    <td><StatusBadge label={e.decision ? `${e.status}: ${e.decision}` : e.status} tone={e.status === 'running' ? 'active' : 'neutral'} /></td>
                    <td>{e.exposures.toLocaleString('en-US')}</td>
                    <td><StatusBadge label={srm.label} tone={srm.tone} /></td>
                    <td>{formatDate(e.startedAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

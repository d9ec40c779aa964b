import { useQuery } from '../api/use-query.js';
import { formatDate } from '../lib/format.js';
import { runStatusTone } from '../lib/status.js';
import { Link } from '../router.js';
import { StatusBadge } from '../components/StatusBadge.js';

interface Data { runs: { edges: Array<{ node: { id: string; status: string; createdAt: string; launchedBy: string | null; notebook: { name: string } } }> } }

export function RunList() {
  const { data, error } = useQuery<Data>(`{ runs(first: 100) { edges { node { id status createdAt launchedBy notebook { name } } } } }`);
  return (
    <section aria-labelledby="runs-title">
      <div className="page-head"><h1 id="runs-title">Runs</h1></div>
      {error && <p className="error" role="alert">{error}</p>}
      {!data && !error && <p aria-live="polite">Loading runs…</p>}
      {data?.runs.edges.length === 0 && <p>No runs yet. Launch one from a notebook.</p>}
      {data && data.runs.edges.length > 0 && (
        <div className="scroll">
          <table className="list">
            <thead><tr><th scope="col">Run</th><th scope="col">Notebook</th><th scope="col">Status</th><th scope="col">Launched by</th><th scope="col">Started</th></tr></thead>
            <tbody>{data.runs.edges.map(({ node: r }) => (
              <tr key={r.id}>
                <td><Link href={`/runs/${r.id}`}>{r.id}</Link></td>
                <td><Link href={`/notebooks/${encodeURIComponent(r.notebook.name)}`}>{r.notebook.name}</Link></td>
                <td><StatusBadge label={r.status} tone={runStatusTone(r.status)} /></td>
                <td>{r.launchedBy ?? '—'}</td>
                <td>{formatDate(r.createdAt)}</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

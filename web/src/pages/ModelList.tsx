import { useQuery } from '../api/use-query.js';
import { formatDate, formatNumber } from '../lib/format.js';
import { Link } from '../router.js';

interface Data {
  models: Array<{ name: string; createdAt: string; aliases: Array<{ alias: string; version: number }>; versions: Array<{ version: number; createdAt: string; metrics: Record<string, unknown> }> }>;
}

const QUERY = `{ models { name createdAt aliases { alias version } versions { version createdAt metrics } } }`;

export function ModelList() {
  const { data, error } = useQuery<Data>(QUERY);
  return (
    <section aria-labelledby="models-title">
      <div className="page-head"><h1 id="models-title">Models</h1></div>
      {error && <p className="error" role="alert">{error}</p>}
      {!data && !error && <p aria-live="polite">Loading models…</p>}
      {data?.models.length === 0 && <p>No models yet. A notebook's <code>deploy</code> cell registers one.</p>}
      {data && data.models.length > 0 && (
        <div className="scroll">
          <table className="list">
            <thead><tr><th scope="col">Model</th><th scope="col">Versions</th><th scope="col">Aliases</th><th scope="col">Latest AUC</th><th scope="col">Latest version</th></tr></thead>
            <tbody>
              {data.models.map((m) => {
                const latest = m.versions[0];
                return (
                  <tr key={m.name}>
                    <td><Link href={`/models/${encodeURIComponent(m.name)}`}>{m.name}</Link></td>
                    <td>{m.versions.length}</td>
                    <td>{m.aliases.length === 0 ? <span className="muted">none</span> : m.aliases.map((a) => <span key={a.alias} className="badge alias">{a.alias} → v{a.version}</span>)}</td>
                    <td>{formatNumber(latest?.metrics.auc)}</td>
                    <td>{latest ? `v${latest.version} · ${formatDate(latest.createdAt)}` : '—'}</td>
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

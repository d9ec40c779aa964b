import { useEffect, useState } from 'react';
import { gql } from '../api/client.js';
import { describeSchedule, splitNotebook } from '../lib/notebook-source.js';
import { runStatusTone } from '../lib/status.js';
import { Link } from '../router.js';
import { StatusBadge } from '../components/StatusBadge.js';

interface Row { name: string; updatedAt: string; latestVersionNumber: number; source: string; lastRun: { id: string; status: string; createdAt: string } | null }

const QUERY = `{
  notebooks(first: 100) { edges { node { name updatedAt latestVersionNumber latestVersion { source } } } }
  runs(first: 100) { edges { node { id status createdAt notebook { name } } } }
}`;

interface Data {
  notebooks: { edges: Array<{ node: { name: string; updatedAt: string; latestVersionNumber: number; latestVersion: { source: string } | null } }> };
  runs: { edges: Array<{ node: { id: string; status: string; createdAt: string; notebook: { name: string } } }> };
}

export function NotebookList() {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    gql<Data>(QUERY)
      .then((d) => {
        const last = new Map<string, Row['lastRun']>();
        for (const { node } of d.runs.edges) if (!last.has(node.notebook.name)) last.set(node.notebook.name, node);
        setRows(d.notebooks.edges.map(({ node }) => ({ ...node, source: node.latestVersion?.source ?? '', lastRun: last.get(node.name) ?? null })));
      })
      .catch((err: Error) => setError(err.message));
  }, []);
  return (
    <section aria-labelledby="nb-title">
      <div className="page-head">
        <h1 id="nb-title">Notebooks</h1>
        <Link className="button" href="/new">New notebook</Link>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {!rows && !error && <p aria-live="polite">Loading notebooks…</p>}
      {rows?.length === 0 && <p>No notebooks yet. Create one with “New notebook”.</p>}
      {rows && rows.length > 0 && (
        <table className="list">
          <thead><tr><th scope="col">Notebook</th><th scope="col">Version</th><th scope="col">Last run</th><th scope="col">Schedule</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name}>
                <td><Link href={`/notebooks/${encodeURIComponent(r.name)}`}>{r.name}</Link></td>
                <td>v{r.latestVersionNumber}</td>
                <td>{r.lastRun ? <Link href={`/runs/${r.lastRun.id}`}><StatusBadge label={r.lastRun.status} tone={runStatusTone(r.lastRun.status)} /> {new Date(r.lastRun.createdAt).toLocaleString()}</Link> : <span className="muted">never run</span>}</td>
                <td>{describeSchedule(splitNotebook(r.source).frontMatter) ?? <span className="muted">none</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

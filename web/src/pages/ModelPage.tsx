import { useState } from 'react';
import { useQuery } from '../api/use-query.js';
import { formatDate, formatNumber, metricColumns } from '../lib/format.js';
import { Link } from '../router.js';
import { AliasControls } from '../components/AliasControls.js';
import { PredictForm } from '../components/PredictForm.js';

interface Version {
  id: string; version: number; createdAt: string; artifactSha256: string; metrics: Record<string, unknown>; featureSpec: unknown;
  lineage: { runId: string; cellId: string; notebookVersionId: string | null; datasetId: string | null; datasetHash: string | null };
}
interface Data {
  model: {
    name: string;
    versions: Version[];
    aliases: Array<{ alias: string; version: number; versionId: string; updatedAt: string; updatedBy: string | null; reason: string | null }>;
    aliasHistory: Array<{ alias: string; at: string; by: string | null; fromVersionId: string | null; toVersionId: string | null; reason: string | null }>;
  };
}

const QUERY = `query($n: String!) { model(name: $n) { name
  versions { id version createdAt artifactSha256 metrics featureSpec lineage { runId cellId notebookVersionId datasetId datasetHash } }
  aliases { alias version versionId updatedAt updatedBy reason }
  aliasHistory { alias at by fromVersionId toVersionId reason } } }`;

/** A registered model: versions and their metrics, aliases with history, lineage and a predict form. */
export function ModelPage({ name }: { name: string }) {
  const { data, error, reload } = useQuery<Data>(QUERY, { n: name });
  const [notice, setNotice] = useState<string | null>(null);
  if (error) return <p className="error" role="alert">{error} <Link href="/models">All models</Link></p>;
  if (!data) return <p aria-live="polite">Loading model {name}…</p>;
  const m = data.model;
  const columns = metricColumns(m.versions.map((v) => v.metrics));
  const versionNo = new Map(m.versions.map((v) => [v.id, v.version]));
  const label = (id: string | null) => (id ? `v${versionNo.get(id) ?? '?'}` : 'none');
  // The champion is what serving calls by default, so the form starts there.
  const aliasNames = m.aliases.map((a) => a.alias).sort((x, y) => Number(y === 'champion') - Number(x === 'champion') || x.localeCompare(y));
  const targets = [...aliasNames, ...m.versions.map((v) => `v${v.version}`)];
  return (
    <article aria-labelledby="model-title" className="model">
      <div className="page-head"><h1 id="model-title">Model {m.name}</h1><Link href="/models">All models</Link></div>
      {notice && <p className="notice" role="status">{notice}</p>}

      <section aria-labelledby="aliases-title" className="card">
        <h2 id="aliases-title">Aliases</h2>
        {m.aliases.length === 0 ? <p className="muted">No alias points at a version yet.</p> : (
          <ul className="aliases">
            {m.aliases.map((a) => <li key={a.alias} data-alias={a.alias}><span className="badge alias">{a.alias}</span> → <strong>v{a.version}</strong> <span className="muted">since {formatDate(a.updatedAt)}{a.updatedBy ? ` by ${a.updatedBy}` : ''}{a.reason ? ` — ${a.reason}` : ''}</span></li>)}
          </ul>
        )}
        <AliasControls model={m.name} versions={m.versions} onChanged={(msg) => { setNotice(msg); reload(); }} />
        <details className="history">
          <summary>Alias history ({m.aliasHistory.length})</summary>
          <div className="scroll">
            <table className="list">
              <thead><tr><th scope="col">When</th><th scope="col">Alias</th><th scope="col">From</th><th scope="col">To</th><th scope="col">By</th><th scope="col">Reason</th></tr></thead>
              <tbody>{m.aliasHistory.map((h, i) => <tr key={i}><td>{formatDate(h.at)}</td><td>{h.alias}</td><td>{label(h.fromVersionId)}</td><td>{label(h.toVersionId)}</td><td>{h.by ?? '—'}</td><td>{h.reason ?? ''}</td></tr>)}</tbody>
            </table>
          </div>
        </details>
      </section>

      <section aria-labelledby="versions-title">
        <h2 id="versions-title">Versions</h2>
        <div className="scroll">
          <table className="list versions">
            <thead><tr><th scope="col">Version</th>{columns.map((c) => <th key={c} scope="col">{c}</th>)}<th scope="col">Lineage</th><th scope="col">Registered</th></tr></thead>
            <tbody>
              {m.versions.map((v) => (
                <tr key={v.id} data-version={v.version}>
                  <th scope="row">v{v.version}{m.aliases.filter((a) => a.versionId === v.id).map((a) => <span key={a.alias} className="badge alias">{a.alias}</span>)}</th>
                  {columns.map((c) => <td key={c} className="num">{formatNumber(v.metrics[c])}</td>)}
                  <td className="lineage">
                    <Link href={`/runs/${encodeURIComponent(v.lineage.runId)}`} title={v.lineage.runId}>run …{v.lineage.runId.slice(-8)}</Link> · cell {v.lineage.cellId}
                    {v.lineage.notebookVersionId && <> · notebook version <code>{v.lineage.notebookVersionId}</code></>}
                    {v.lineage.datasetId && <> · dataset <code title={v.lineage.datasetHash ?? undefined}>{v.lineage.datasetId}</code></>}
                  </td>
                  <td>{formatDate(v.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {targets.length > 0 && <PredictForm model={m.name} featureSpec={m.versions[0]?.featureSpec} targets={targets} />}
    </article>
  );
}

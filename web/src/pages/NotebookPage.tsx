import { useEffect, useState } from 'react';
import { gql } from '../api/client.js';
import { describeSchedule, splitNotebook } from '../lib/notebook-source.js';
import { paramSpecs } from '../lib/params.js';
import { runStatusTone } from '../lib/status.js';
import { Link } from '../router.js';
import { LaunchForm } from '../components/LaunchForm.js';
import { Markdown } from '../components/Markdown.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { ScheduleBox } from '../components/ScheduleBox.js';
import { useSession } from '../session.js';

interface Data {
  notebook: { name: string; latestVersion: { version: number; source: string } | null } | null;
  runs: { edges: Array<{ node: { id: string; status: string; createdAt: string; launchedBy: string | null } }> };
}

/** The notebook as a document: prose rendered, cells shown like notebook input cells. */
export function NotebookPage({ name }: { name: string }) {
  const { caps } = useSession();
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    gql<Data>(`query($n: String!) { notebook(name: $n) { name latestVersion { version source } } runs(first: 10, notebook: $n) { edges { node { id status createdAt launchedBy } } } }`, { n: name })
      .then(setData)
      .catch((err: Error) => setError(err.message));
  }, [name]);
  if (error) return <p className="error" role="alert">{error}</p>;
  if (!data) return <p aria-live="polite">Loading {name}…</p>;
  if (!data.notebook?.latestVersion) return <p className="error" role="alert">There is no notebook named “{name}”. Pick one from the <Link href="/">notebook list</Link>.</p>;
  const { version, source } = data.notebook.latestVersion;
  const doc = splitNotebook(source);
  const schedule = describeSchedule(doc.frontMatter);
  return (
    <div className="notebook-layout">
      <article className="notebook" aria-labelledby="nb-name">
        <div className="page-head">
          <h1 id="nb-name">{name} <span className="muted">v{version}</span></h1>
          <Link className="button secondary" href={`/notebooks/${encodeURIComponent(name)}/edit`}>Edit source</Link>
        </div>
        {typeof doc.frontMatter.description === 'string' && <p className="lede">{doc.frontMatter.description}</p>}
        {schedule && <p>Runs on schedule <code>{schedule}</code>.</p>}
        {doc.segments.map((s) =>
          s.type === 'prose' ? (
            <Markdown key={s.line} text={s.text} />
          ) : (
            <section key={s.line} className="cell-source" aria-label={`Cell ${s.id}`}>
              <header><span className="kind">{s.kind}</span> <strong>{s.id}</strong>{s.needs && <span className="muted"> needs {s.needs}</span>}{s.queue && <span className="muted"> on {s.queue}</span>}</header>
              <pre>{s.body}</pre>
            </section>
          ),
        )}
      </article>
      <aside className="side" aria-label="Launch and recent runs">
        {schedule && caps.query.has('schedule') && <ScheduleBox key={version} notebook={name} />}
        <LaunchForm key={version} notebook={name} specs={paramSpecs(doc.frontMatter.params)} />
        <h2>Recent runs</h2>
        {data.runs.edges.length === 0 && <p className="muted">No runs yet.</p>}
        <ul className="runs">
          {data.runs.edges.map(({ node }) => (
            <li key={node.id}><Link href={`/runs/${node.id}`}><StatusBadge label={node.status} tone={runStatusTone(node.status)} /> {new Date(node.createdAt).toLocaleString()}</Link></li>
          ))}
        </ul>
      </aside>
    </div>
  );
}

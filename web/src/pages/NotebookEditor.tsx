import { useEffect, useRef, useState } from 'react';
import { gql } from '../api/client.js';
import { navigate } from '../router.js';
import { RoleButton } from '../components/RoleButton.js';

interface Issue { line: number; column: number; cellId: string | null; field: string | null; message: string }

const TEMPLATE = `---
name: my-campaign
params:
  min_sessions: { type: int, default: 20, min: 1, max: 100000 }
---
# My campaign

What this notebook is for.

\`\`\`cell ingest id=sessions
source: { csv: "data/sample/shoppers.csv" }
\`\`\`
`;

/** Source editor with a line-number gutter; save problems are marked at their line. */
export function NotebookEditor({ name }: { name: string | null }) {
  const [source, setSource] = useState<string | null>(name ? null : TEMPLATE);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!name) return;
    gql<{ notebook: { latestVersion: { source: string } | null } | null }>(`query($n: String!) { notebook(name: $n) { latestVersion { source } } }`, { n: name })
      .then((d) => setSource(d.notebook?.latestVersion?.source ?? TEMPLATE))
      .catch((err: Error) => setError(err.message));
  }, [name]);
  if (source === null) return error ? <p className="error" role="alert">{error}</p> : <p aria-live="polite">Loading…</p>;

  const lines = source.split('\n').length;
  const byLine = new Map<number, Issue[]>();
  for (const i of issues) byLine.set(i.line, [...(byLine.get(i.line) ?? []), i]);
  const goTo = (issue: Issue) => {
    const el = area.current;
    if (!el) return;
    const all = source.split('\n');
    const start = all.slice(0, issue.line - 1).reduce((n, l) => n + l.length + 1, 0);
    el.focus();
    el.setSelectionRange(start, start + (all[issue.line - 1]?.length ?? 0));
  };
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const d = await gql<{ saveNotebook: { issues: Issue[]; notebook: { name: string } | null } }>(
        `mutation($s: String!) { saveNotebook(source: $s) { issues { line column cellId field message } notebook { name } } }`,
        { s: source },
      );
      setIssues(d.saveNotebook.issues);
      if (d.saveNotebook.issues.length === 0 && d.saveNotebook.notebook) navigate(`/notebooks/${encodeURIComponent(d.saveNotebook.notebook.name)}`);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="editor-title" className="editor-page">
      <div className="page-head">
        <h1 id="editor-title">{name ? `Edit ${name}` : 'New notebook'}</h1>
        <RoleButton role="launcher" type="button" onClick={() => void save()} disabled={busy}>{busy ? 'Saving…' : 'Save notebook'}</RoleButton>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {issues.length > 0 && (
        <div className="issues" role="alert" aria-labelledby="issues-title">
          <h2 id="issues-title">{issues.length === 1 ? '1 problem' : `${issues.length} problems`} kept this notebook from being saved</h2>
          <ul>
            {issues.map((i, n) => (
              <li key={n}><button type="button" className="link" onClick={() => goTo(i)}>Line {i.line}, column {i.column}</button>{i.cellId ? ` (cell ${i.cellId})` : ''}: {i.message}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="editor">
        <div className="gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lines }, (_, n) => {
            const here = byLine.get(n + 1);
            return <div key={n} className={here ? 'line-no has-issue' : 'line-no'} data-line={n + 1} title={here?.map((i) => i.message).join('\n')}>{here ? '● ' : ''}{n + 1}</div>;
          })}
        </div>
        <label htmlFor="source" className="visually-hidden">Notebook source (Markdown)</label>
        <textarea
          id="source"
          ref={area}
          spellCheck={false}
          value={source}
          wrap="off"
          onChange={(e) => setSource(e.target.value)}
          onScroll={(e) => { if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop; }}
        />
      </div>
    </section>
  );
}

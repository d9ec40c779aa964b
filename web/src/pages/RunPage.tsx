import { useCallback, useEffect, useState } from 'react';
import { gql, subscribe } from '../api/client.js';
import { runStatusTone } from '../lib/status.js';
import { Link, navigate } from '../router.js';
import { useSession } from '../session.js';
import { CellView, type RunCell } from '../components/CellView.js';
import { RoleButton } from '../components/RoleButton.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { ExportButtons } from '../components/ExportButtons.js';
import { AccountingStrip, type RunAccounting } from '../components/AccountingStrip.js';
import { ComparePicker } from '../components/ComparePicker.js';

interface Run {
  id: string;
  status: string;
  error: string | null;
  createdAt: string;
  params: Record<string, unknown>;
  parentRunId: string | null;
  notebook: { name: string };
  cells: RunCell[];
  accounting?: RunAccounting;
}

const TERMINAL = ['succeeded', 'failed', 'cancelled'];

function runFields(hasCachedFrom: boolean, hasAccounting: boolean, hasDisplayStatus: boolean): string {
  return `id status error createdAt params parentRunId notebook { name }
    ${hasAccounting ? 'accounting { wallMs queueWaitMs gpuSeconds attempts }' : ''}
    cells { cellId kind queue status attempt durationMs error progress ${hasCachedFrom ? 'cachedFrom' : ''} ${hasDisplayStatus ? 'displayStatus' : ''}
            attempts { attempt status error } outputs { seq data metadata } }`;
}

/** A run shown as a notebook, kept live by the `runUpdated` subscription. */
export function RunPage({ id }: { id: string }) {
  const { caps } = useSession();
  const [run, setRun] = useState<Run | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const fields = runFields(caps.run.has('cachedFrom'), caps.run.has('accounting'), caps.cell.has('displayStatus'));

  useEffect(() => {
    const abort = new AbortController();
    setRun(null);
    setError(null);
    // The subscription sends the run now, then on every change, and completes when the run ends.
    subscribe<{ runUpdated: Run }>(`subscription($id: ID!) { runUpdated(id: $id) { ${fields} } }`, { id }, (d) => setRun(d.runUpdated), abort.signal)
      .then(() => gql<{ run: Run | null }>(`query($id: ID!) { run(id: $id) { ${fields} } }`, { id }))
      .then((d) => (d.run ? setRun(d.run) : setError(`There is no run ${id}.`)))
      .catch((err: Error) => { if (!abort.signal.aborted) setError(err.message); });
    return () => abort.abort();
  }, [id, fields]);

  const act = useCallback(async (what: string, query: string, variables: Record<string, unknown>, follow?: (d: any) => string | undefined) => {
    setNotice(null);
    try {
      const d = await gql<Record<string, unknown>>(query, variables);
      const next = follow?.(d);
      if (next) navigate(`/runs/${next}`);
      else setNotice(`${what}: done.`);
    } catch (err) {
      setNotice(`${what} failed: ${(err as Error).message}`);
    }
  }, []);

  if (error) return <p className="error" role="alert">{error}</p>;
  if (!run) return <p aria-live="polite">Loading run {id}…</p>;
  const terminal = TERMINAL.includes(run.status);
  const sel = (name: string) => (caps.objectResults.has(name) ? '{ __typename }' : '');
  const cellActions = (c: RunCell) => (
    <>
      {c.status === 'awaiting_approval' && caps.mutation.has('approveDeployment') && (
        <RoleButton role="launcher" type="button" onClick={() => void act('Approve', `mutation($r: ID!, $c: String!) { approveDeployment(runId: $r, cellId: $c) ${sel('approveDeployment')} }`, { r: run.id, c: c.cellId })}>Approve deployment</RoleButton>
      )}
      {c.status === 'awaiting_approval' && caps.mutation.has('rejectDeployment') && (
        <RoleButton role="launcher" type="button" className="secondary" onClick={() => void act('Reject', `mutation($r: ID!, $c: String!) { rejectDeployment(runId: $r, cellId: $c) ${sel('rejectDeployment')} }`, { r: run.id, c: c.cellId })}>Reject</RoleButton>
      )}
      {terminal && caps.mutation.has('rerunFrom') && (
        <RoleButton role="launcher" type="button" className="secondary small" onClick={() => void act('Rerun', `mutation($r: ID!, $c: String!) { rerunFrom(runId: $r, cellId: $c) { id } }`, { r: run.id, c: c.cellId }, (d) => d.rerunFrom?.id)}>Rerun from here</RoleButton>
      )}
    </>
  );
  return (
    <article aria-labelledby="run-title" className="run">
      <div className="page-head">
        <h1 id="run-title">Run of <Link href={`/notebooks/${encodeURIComponent(run.notebook.name)}`}>{run.notebook.name}</Link></h1>
        <StatusBadge label={run.status} tone={runStatusTone(run.status)} />
      </div>
      <p className="muted">{run.id} · started {new Date(run.createdAt).toLocaleString()}{run.parentRunId && <> · from <Link href={`/runs/${run.parentRunId}`}>{run.parentRunId}</Link></>}</p>
      {Object.keys(run.params).length > 0 && <p>Params: {Object.entries(run.params).map(([k, v]) => <code key={k} className="param">{k} = {JSON.stringify(v)}</code>)}</p>}
      <div className="toolbar" role="toolbar" aria-label="Run actions">
        {!terminal && caps.mutation.has('cancelRun') && <RoleButton role="launcher" type="button" className="secondary" onClick={() => void act('Cancel', `mutation($id: ID!) { cancelRun(id: $id) { id } }`, { id: run.id })}>Cancel run</RoleButton>}
        {run.status === 'failed' && caps.mutation.has('retryFailed') && <RoleButton role="launcher" type="button" onClick={() => void act('Retry', `mutation($r: ID!) { retryFailed(runId: $r) { id } }`, { r: run.id }, (d) => d.retryFailed?.id)}>Retry failed cells</RoleButton>}
        <ExportButtons runId={run.id} />
        {caps.query.has('compareRuns') && <ComparePicker runId={run.id} notebook={run.notebook.name} />}
      </div>
      {run.accounting && <AccountingStrip accounting={run.accounting} />}
      {notice && <p className="notice" role="status">{notice}</p>}
      {run.error && <p className="error">{run.error}</p>}
      <div aria-live="polite" aria-relevant="additions text" className="visually-hidden">{run.status === 'succeeded' ? 'Run finished.' : ''}</div>
      {run.cells.map((c) => <CellView key={c.cellId} cell={c} actions={cellActions(c)} />)}
    </article>
  );
}

import { useState } from 'react';
import { gql } from '../api/client.js';
import { ConfirmButton } from './ConfirmButton.js';

const ALIASES = ['champion', 'challenger'];

/** Admin controls: point an alias at a version, or roll it back to where it pointed before. */
export function AliasControls({ model, versions, onChanged }: { model: string; versions: Array<{ id: string; version: number }>; onChanged(message: string): void }) {
  const [alias, setAlias] = useState('champion');
  const [versionId, setVersionId] = useState(versions[0]?.id ?? '');
  const chosen = versions.find((v) => v.id === versionId);
  const run = async (query: string, vars: Record<string, unknown>, done: (d: any) => string) => {
    try {
      onChanged(done(await gql<Record<string, unknown>>(query, vars)));
    } catch (err) {
      onChanged(`That did not work: ${(err as Error).message}`);
    }
  };
  return (
    <div className="alias-controls" role="group" aria-labelledby="alias-controls-title">
      <h3 id="alias-controls-title">Move an alias</h3>
      <label>Alias <select value={alias} onChange={(e) => setAlias(e.target.value)}>{ALIASES.map((a) => <option key={a}>{a}</option>)}</select></label>
      <label>Version <select value={versionId} onChange={(e) => setVersionId(e.target.value)}>{versions.map((v) => <option key={v.id} value={v.id}>v{v.version}</option>)}</select></label>
      <ConfirmButton role="admin" label="Set alias" question={`Point ${alias} at v${chosen?.version ?? '?'}?`} withReason
        onConfirm={(reason) => run(`mutation($m: String!, $a: String!, $v: ID!, $r: String) { setModelAlias(model: $m, alias: $a, versionId: $v, reason: $r) { moved } }`,
          { m: model, a: alias, v: versionId, r: reason || null }, (d) => (d.setModelAlias?.moved ? `${alias} now points at v${chosen?.version}.` : `${alias} already pointed at v${chosen?.version}.`))} />
      <ConfirmButton role="admin" className="secondary" label="Roll back" question={`Move ${alias} back to its previous version?`} withReason
        onConfirm={(reason) => run(`mutation($m: String!, $a: String!, $r: String) { rollbackModelAlias(model: $m, alias: $a, reason: $r) { moved } }`,
          { m: model, a: alias, r: reason || null }, () => `${alias} rolled back.`)} />
    </div>
  );
}

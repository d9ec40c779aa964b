import { useState } from 'react';
import { gql } from '../api/client.js';
import { ConfirmButton } from './ConfirmButton.js';
import { RoleButton } from './RoleButton.js';

/** Stop (launcher), extend (launcher) and decide (admin), each asking before it acts. */
export function ExperimentActions({ experiment, onDone }: { experiment: string; onDone(message: string): void }) {
  const [days, setDays] = useState('7');
  const call = async (what: string, query: string, vars: Record<string, unknown>) => {
    try {
      await gql(query, { x: experiment, ...vars });
      onDone(`${what}: done.`);
    } catch (err) {
      onDone(`${what} failed: ${(err as Error).message}`);
    }
  };
  const dayCount = Number(days);
  const daysOk = Number.isInteger(dayCount) && dayCount >= 1 && dayCount <= 365;
  return (
    <div className="toolbar" role="toolbar" aria-label="Experiment actions">
      <ConfirmButton role="launcher" label="Stop now" question="Stop and decide on the data so far?" withReason
        onConfirm={(r) => call('Stop', `mutation($x: String!, $r: String) { stopExperiment(experiment: $x, reason: $r) { id } }`, { r: r || null })} />
      <span className="extend">
        <label htmlFor="extend-days">Extend by days</label>
        <input id="extend-days" type="number" min={1} max={365} value={days} aria-invalid={daysOk ? undefined : true} onChange={(e) => setDays(e.target.value)} />
        {daysOk
          ? <ConfirmButton role="launcher" className="secondary" label="Extend" question={`Run ${dayCount} more day${dayCount === 1 ? '' : 's'}?`}
              onConfirm={() => call('Extend', `mutation($x: String!, $d: Int!) { extendExperiment(experiment: $x, days: $d) { id } }`, { d: dayCount })} />
          : <RoleButton role="launcher" type="button" className="secondary" disabled>Extend (1–365 days)</RoleButton>}
      </span>
      <ConfirmButton role="admin" label="Ship challenger" question="Promote the challenger to champion?" withReason
        onConfirm={(r) => call('Ship', `mutation($x: String!, $r: String) { decideExperiment(experiment: $x, decision: ship, reason: $r) { id } }`, { r: r || null })} />
      <ConfirmButton role="admin" className="secondary" label="Keep champion" question="Keep the champion and roll the challenger back?" withReason
        onConfirm={(r) => call('Keep', `mutation($x: String!, $r: String) { decideExperiment(experiment: $x, decision: keep, reason: $r) { id } }`, { r: r || null })} />
    </div>
  );
}

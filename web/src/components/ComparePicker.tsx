import { useState, type FormEvent } from 'react';
import { useQuery } from '../api/use-query.js';
import { navigate } from '../router.js';

interface Data { runs: { edges: Array<{ node: { id: string; status: string; createdAt: string } }> } }

/** Picks another run of the same notebook and opens the comparison. */
export function ComparePicker({ runId, notebook }: { runId: string; notebook: string }) {
  const { data } = useQuery<Data>(`query($n: String!) { runs(first: 50, notebook: $n) { edges { node { id status createdAt } } } }`, { n: notebook });
  const others = (data?.runs.edges ?? []).map((e) => e.node).filter((r) => r.id !== runId);
  const [other, setOther] = useState('');
  if (others.length === 0) return null;
  const chosen = other || others[0]?.id || '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(`/compare/${encodeURIComponent(runId)}/${encodeURIComponent(chosen)}`);
  };
  return (
    <form className="compare-picker" onSubmit={submit}>
      <label htmlFor="compare-with">Compare with</label>
      <select id="compare-with" value={chosen} onChange={(e) => setOther(e.target.value)}>
        {others.map((r) => <option key={r.id} value={r.id}>{new Date(r.createdAt).toLocaleString()} · {r.status} · {r.id.slice(-6)}</option>)}
      </select>
      <button type="submit" className="secondary">Compare</button>
    </form>
  );
}

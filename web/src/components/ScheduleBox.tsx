import { useState } from 'react';
import { gql } from '../api/client.js';
import { useQuery } from '../api/use-query.js';
import { formatDate } from '../lib/format.js';
import { Link } from '../router.js';
import { RoleButton } from './RoleButton.js';
import { StatusBadge } from './StatusBadge.js';

interface Schedule { cron: string; timezone: string; overlap: string; paused: boolean; note: string | null; nextRunTimes: string[]; lastFiredAt: string | null; lastRunId: string | null }

const FIELDS = 'cron timezone overlap paused note nextRunTimes lastFiredAt lastRunId';

/** The notebook's Temporal Schedule with pause / unpause / run-now for launchers. */
export function ScheduleBox({ notebook }: { notebook: string }) {
  const { data, error, reload } = useQuery<{ schedule: Schedule }>(`query($n: String!) { schedule(notebook: $n) { ${FIELDS} } }`, { n: notebook });
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A notebook without a `schedule` in its front matter has none: say nothing rather than an error.
  if (error) return /No schedule/.test(error) ? null : <p className="error">{error}</p>;
  if (!data) return null;
  const s = data.schedule;
  const act = async (what: string, mutation: string, withNote: boolean) => {
    setBusy(true);
    setMessage(null);
    try {
      await gql(`mutation($n: String!${withNote ? ', $note: String' : ''}) { ${mutation}(notebook: $n${withNote ? ', note: $note' : ''}) { paused } }`, withNote ? { n: notebook, note: note.trim() || null } : { n: notebook });
      setMessage(`${what}: done.`);
      setNote('');
      reload();
    } catch (err) {
      setMessage(`${what} failed: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="schedule" aria-labelledby="schedule-title">
      <h2 id="schedule-title">Schedule</h2>
      <p><code>{s.cron}</code> ({s.timezone}) <StatusBadge label={s.paused ? 'paused' : 'active'} tone={s.paused ? 'warn' : 'good'} /></p>
      {s.note && <p className="muted">Note: {s.note}</p>}
      <dl className="facts">
        <dt>Next run</dt><dd>{formatDate(s.nextRunTimes[0])}</dd>
        <dt>Last run</dt><dd>{s.lastRunId ? <Link href={`/runs/${s.lastRunId}`}>{formatDate(s.lastFiredAt)}</Link> : formatDate(s.lastFiredAt)}</dd>
      </dl>
      <label htmlFor="schedule-note">Note (why you pause or resume)</label>
      <input id="schedule-note" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
      <div className="toolbar">
        {s.paused
          ? <RoleButton role="launcher" type="button" disabled={busy} onClick={() => void act('Resume', 'unpauseSchedule', true)}>Resume schedule</RoleButton>
          : <RoleButton role="launcher" type="button" className="secondary" disabled={busy} onClick={() => void act('Pause', 'pauseSchedule', true)}>Pause schedule</RoleButton>}
        <RoleButton role="launcher" type="button" className="secondary" disabled={busy} onClick={() => void act('Run now', 'triggerSchedule', false)}>Run now</RoleButton>
      </div>
      {message && <p className="notice" role="status">{message}</p>}
    </section>
  );
}

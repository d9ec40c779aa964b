import { useState } from 'react';
import { gql } from '../api/client.js';
import { useSession } from '../session.js';

const FORMATS = [
  { field: 'exportIpynb', label: 'Download .ipynb', ext: 'ipynb', type: 'application/x-ipynb+json' },
  { field: 'exportHtml', label: 'Download HTML', ext: 'html', type: 'text/html' },
] as const;

/** Downloads offered only when the API has the export fields. */
export function ExportButtons({ runId }: { runId: string }) {
  const { caps } = useSession();
  const [error, setError] = useState<string | null>(null);
  const offered = FORMATS.filter((f) => caps.run.has(f.field));
  if (offered.length === 0) return null;
  const download = async (f: (typeof FORMATS)[number]) => {
    setError(null);
    try {
      const d = await gql<{ run: Record<string, unknown> | null }>(`query($id: ID!) { run(id: $id) { ${f.field} } }`, { id: runId });
      const value = d.run?.[f.field];
      const text = typeof value === 'string' ? value : JSON.stringify(value, null, 1);
      const url = URL.createObjectURL(new Blob([text], { type: f.type }));
      const a = Object.assign(document.createElement('a'), { href: url, download: `${runId}.${f.ext}` });
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1_000);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <>
      {offered.map((f) => <button key={f.field} type="button" className="secondary" onClick={() => void download(f)}>{f.label}</button>)}
      {error && <span className="error" role="alert">{error}</span>}
    </>
  );
}

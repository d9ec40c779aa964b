import { useEffect, useRef, useState } from 'react';

/** A Vega-Lite spec drawn by vega-embed, loaded on first use so pages without charts stay light. */
export function VegaChart({ spec, title }: { spec: unknown; title: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let finalize: (() => void) | undefined;
    let cancelled = false;
    void import('vega-embed')
      .then(async ({ default: embed }) => {
        if (cancelled || !ref.current) return;
        const result = await embed(ref.current, spec as never, { actions: { export: true, source: false, compiled: false, editor: false }, renderer: 'svg' });
        finalize = () => result.finalize();
      })
      .catch((err: unknown) => setError(`This chart could not be drawn: ${(err as Error).message}`));
    return () => {
      cancelled = true;
      finalize?.();
    };
  }, [spec]);
  return (
    <figure className="chart" aria-label={title}>
      <div ref={ref} className="vega" />
      {error && <p className="error" role="alert">{error}</p>}
    </figure>
  );
}

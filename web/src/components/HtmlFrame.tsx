import DOMPurify from 'dompurify';
import { useMemo, useRef, useState } from 'react';

const FRAME_STYLE = `<style>
body{margin:0;font:14px/1.45 system-ui,sans-serif;color:#1a1a1a}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
th,td{border:1px solid #c9ced6;padding:4px 8px;text-align:left}
th{background:#eef1f5}
</style>`;

/**
 * Server HTML (tables, profiles) in an iframe sandbox without scripts: even if something slipped
 * through sanitising it cannot run or reach the page. Same-origin only so the height can be read.
 */
export function HtmlFrame({ html, title }: { html: string; title: string }) {
  const ref = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(120);
  const doc = useMemo(() => `<!doctype html><meta charset="utf-8">${FRAME_STYLE}${DOMPurify.sanitize(html)}`, [html]);
  const fit = () => {
    const body = ref.current?.contentDocument?.body;
    if (body) setHeight(Math.min(Math.max(body.scrollHeight + 4, 40), 600));
  };
  return <iframe ref={ref} className="html-frame" title={title} sandbox="allow-same-origin" srcDoc={doc} style={{ height }} onLoad={fit} />;
}

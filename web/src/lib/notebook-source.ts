import { parse as parseYaml } from 'yaml';

/** One piece of a notebook as a reader sees it: prose, or a cell block with its header and body. */
export type Segment =
  | { type: 'prose'; text: string; line: number }
  | { type: 'cell'; kind: string; id: string; needs: string | null; queue: string | null; body: string; line: number };

export interface NotebookDocument {
  frontMatter: Record<string, unknown>;
  /** Set when the front matter is not valid YAML; the server's issues say more on save. */
  frontMatterError: string | null;
  segments: Segment[];
}

const FENCE = /^(`{3,}|~{3,})\s*cell\s+(\S+)(.*)$/;

function attribute(header: string, name: string): string | null {
  const m = new RegExp(`(?:^|\\s)${name}=(\\[[^\\]]*\\]|\\S+)`).exec(header);
  return m?.[1] ?? null;
}

/**
 * Splits notebook Markdown for display only. The server validates; this never rejects a
 * document, it just shows what it can (an unterminated cell runs to the end of the source).
 */
export function splitNotebook(source: string): NotebookDocument {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let frontMatter: Record<string, unknown> = {};
  let frontMatterError: string | null = null;
  let i = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((l, n) => n > 0 && l.trim() === '---');
    if (end > 0) {
      try {
        const parsed: unknown = parseYaml(lines.slice(1, end).join('\n'));
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) frontMatter = parsed as Record<string, unknown>;
        else frontMatterError = 'The front matter must be a YAML mapping (name, params, …).';
      } catch (err) {
        frontMatterError = `The front matter is not valid YAML: ${(err as Error).message.split('\n')[0]}`;
      }
      i = end + 1;
    }
  }
  const segments: Segment[] = [];
  let prose: string[] = [];
  let proseLine = i + 1;
  const flushProse = () => {
    const text = prose.join('\n').trim();
    if (text) segments.push({ type: 'prose', text, line: proseLine });
    prose = [];
  };
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const m = FENCE.exec(line);
    if (!m) {
      if (prose.length === 0) proseLine = i + 1;
      prose.push(line);
      continue;
    }
    flushProse();
    const fence = m[1] ?? '```';
    const header = m[3] ?? '';
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] ?? '').startsWith(fence); i++) body.push(lines[i] ?? '');
    segments.push({
      type: 'cell',
      kind: m[2] ?? '',
      id: attribute(header, 'id') ?? '',
      needs: attribute(header, 'needs'),
      queue: attribute(header, 'queue'),
      body: body.join('\n'),
      line: start + 1,
    });
    proseLine = i + 2;
  }
  flushProse();
  return { frontMatter, frontMatterError, segments };
}

/** A human summary of the front matter's schedule, or null when the notebook has none. */
export function describeSchedule(frontMatter: Record<string, unknown>): string | null {
  const s = frontMatter.schedule;
  if (!s || typeof s !== 'object') return null;
  const { cron, timezone } = s as { cron?: unknown; timezone?: unknown };
  if (typeof cron !== 'string') return null;
  return `${cron} (${typeof timezone === 'string' ? timezone : 'UTC'})`;
}

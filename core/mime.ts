/** JSON that survives a Temporal payload and a jsonb column unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * One cell output in the Jupyter MIME-bundle shape (nbformat `display_data`): keys are MIME types
 * such as `text/markdown`, `text/html`, `application/json`, `application/vnd.vegalite.v5+json`.
 */
export interface MimeBundle {
  data: Record<string, JsonValue>;
  metadata?: Record<string, JsonValue>;
}

export const MIME = {
  markdown: 'text/markdown',
  html: 'text/html',
  plain: 'text/plain',
  json: 'application/json',
  vegaLite: 'application/vnd.vegalite.v5+json',
} as const;

/** Limits that keep hostile or accidental input from exhausting memory, time or the stack. */
export const LIMITS = {
  /** Largest notebook source, in bytes (UTF-8). */
  sourceBytes: 1024 * 1024,
  cells: 500,
  /** Largest YAML body of one cell or of the front matter, in characters. */
  yamlChars: 256 * 1024,
  /** Deepest YAML nesting accepted (mappings and sequences). */
  yamlDepth: 32,
  /** Alias expansions per YAML document; more is treated as an alias bomb. */
  yamlAliases: 100,
  params: 100,
  /** Longest user text quoted back inside a message. */
  quotedChars: 60,
} as const;

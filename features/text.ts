import { bucketOf } from './hash.js';

/** How text columns become hashed n-gram ids. */
export interface TextOptions {
  /** Hash buckets; ids are `1..buckets`, 0 is padding. */
  buckets: number;
  /** Ids kept per row; the first ones win. */
  maxTokens: number;
  /** Word n-gram lengths, inclusive, e.g. [1, 2]. */
  wordNgrams: [number, number];
  /** Character n-gram lengths inside words (with `<` `>` boundary marks), or null for none. */
  charNgrams: [number, number] | null;
}

// Han, Hiragana and Katakana are written without spaces: each character is a token, so word
// bigrams over them are character bigrams (a segmenter-free approach that needs no dictionary).
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{N}\p{M}]+/gu;

/** NFKC, lowercase, apostrophes dropped (don't → dont), other punctuation and symbols → space. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase()
    .replace(/['\u2019\u02bc]/g, '')
    .replace(/[\p{P}\p{S}\p{C}]+/gu, ' ');
}

/** Words of normalised text; every CJK character is its own token. */
export function tokenize(text: string): string[] {
  return normalizeText(text).match(TOKEN) ?? [];
}

function isCjk(token: string): boolean {
  return token.length > 0 && CJK.test(token);
}

/**
 * Hashed ids of one row's texts, in priority order so the `maxTokens` cap drops the least useful
 * first: word unigrams, then longer word n-grams, then character n-grams. Fields are tokenised
 * separately, so no n-gram spans two fields.
 */
export function textTokenIds(texts: readonly string[], o: TextOptions): number[] {
  const fields = texts.map(tokenize);
  const out: number[] = [];
  const push = (key: string): boolean => {
    out.push(bucketOf(key, o.buckets));
    return out.length >= o.maxTokens;
  };
  for (let n = o.wordNgrams[0]; n <= o.wordNgrams[1]; n++) {
    for (const words of fields) {
      for (let i = 0; i + n <= words.length; i++) {
        if (push(`w${n}:${words.slice(i, i + n).join(' ')}`)) return out;
      }
    }
  }
  if (o.charNgrams) {
    const [lo, hi] = o.charNgrams;
    for (const words of fields) {
      for (const w of words) {
        if (isCjk(w)) continue;
        const chars = [...`<${w}>`];
        for (let n = lo; n <= hi; n++) {
          for (let i = 0; i + n <= chars.length; i++) {
            if (push(`c:${chars.slice(i, i + n).join('')}`)) return out;
          }
        }
      }
    }
  }
  return out;
}

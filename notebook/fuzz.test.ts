import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIssues, parseNotebook, planRun } from './index.js';
import { TEST_KINDS, VALID } from './test-kinds.js';

/** Each call must return quickly; a hang or a throw fails the property. */
function parseWithinBudget(source: string): void {
  const started = performance.now();
  const { notebook, issues } = parseNotebook(source, TEST_KINDS);
  expect(performance.now() - started).toBeLessThan(2_000);
  expect(notebook === undefined).toBe(issues.length > 0);
  for (const issue of issues) {
    expect(issue.line).toBeGreaterThanOrEqual(1);
    expect(issue.column).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(issue.line) && Number.isInteger(issue.column)).toBe(true);
    expect(issue.message.length).toBeGreaterThan(0);
  }
  expect(typeof formatIssues(issues, source, 'fuzz.md')).toBe('string');
}

const fragment = fc.oneof(
  fc.constantFrom(
    '---\n', '```cell sql id=q\n', '```cell ingest id=s needs=[q]\n', '```\n', '~~~cell sql id=t\n', '```cell\n', '```cell sql id=a needs=[a, b\n',
    'query: ${params.x}\n', '${', '$${', '${cells.q.rows}', '}', '${params.', 'a: &x [1, 2]\nb: *x\n', '*x', '&a ', '!!binary', '\u0000', '\u0007', '\r', '\t',
    'source: { csv: "${params.dataset}" }\n', 'name: a\n', 'params: { n: { type: int, default: 1 } }\n', '- - - - - [\n', '[[[[[[[[', ']]]]', '{{{{', ': : :', '> ', '  ',
    'retry: { maximumAttempts: 500 }\n', 'timeout: -1s\n', 'x'.repeat(5_000), '#'.repeat(300),
  ),
  fc.string({ maxLength: 40 }),
);

describe('parseNotebook never throws or hangs', () => {
  it('on random documents built from hostile fragments', () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 40 }), (parts) => parseWithinBudget(parts.join(''))),
      { numRuns: 250 },
    );
  });

  it('on random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2_000, unit: 'binary' }), (text) => parseWithinBudget(text)), { numRuns: 150 });
  });

  it('on random mutations of a valid notebook', () => {
    const mutation = fc.record({ at: fc.nat({ max: VALID.length }), drop: fc.nat({ max: 20 }), insert: fragment });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), (edits) => {
        let source = VALID;
        for (const e of edits) source = source.slice(0, e.at) + e.insert + source.slice(e.at + e.drop);
        parseWithinBudget(source);
        const started = performance.now();
        const { plan, issues } = planRun(source, TEST_KINDS, {}, { runId: 'r', notebookVersionId: 'v' });
        expect(performance.now() - started).toBeLessThan(2_000);
        expect(plan === undefined).toBe(issues.length > 0);
      }),
      { numRuns: 200 },
    );
  });

  it('on huge lines and many fences', () => {
    parseWithinBudget(`---\nname: a\n---\n${'`'.repeat(200_000)}\n`);
    parseWithinBudget(`---\nname: a\n---\n${'```cell sql id=q\n'.repeat(3_000)}`);
    parseWithinBudget(`---\nname: a\n---\n\`\`\`cell sql id=q\nquery: "${'${'.repeat(50_000)}"\n\`\`\`\n`);
    parseWithinBudget(`---\nname: a\n---\n${'> '.repeat(10_000)}\`\`\`cell sql id=q\n`);
  });
});

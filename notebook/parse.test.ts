import { describe, expect, it } from 'vitest';
import { parseNotebook } from './index.js';
import { notebookSource, TEST_KINDS, VALID } from './test-kinds.js';

const parse = (source: string) => parseNotebook(source, TEST_KINDS);
const only = (source: string) => {
  const { issues } = parse(source);
  expect(issues, JSON.stringify(issues, null, 1)).toHaveLength(1);
  return issues[0]!;
};

describe('parseNotebook: a valid notebook', () => {
  it('reads front matter, params, schedule, cells and blocks in order', () => {
    const { notebook, issues } = parse(VALID);
    expect(issues).toEqual([]);
    expect(notebook?.name).toBe('spring-loyalty');
    expect(notebook?.description).toBe('Nightly retrain');
    expect(notebook?.schedule).toEqual({ cron: '0 2 * * *', timezone: 'Europe/Paris', overlap: 'buffer_one', catchupWindowMs: 3_600_000, params: { epochs: 50 } });
    expect(notebook?.params.map((p) => [p.name, p.type, p.default, p.line])).toEqual([
      ['dataset', 'string', 'data/sample/shoppers.csv', 6],
      ['epochs', 'int', 20, 7],
      ['rate', 'float', 0.01, 8],
      ['size', 'enum', 'small', 9],
    ]);
    const cells = notebook!.cells;
    expect(cells.map((c) => [c.id, c.kind, c.needs, c.line])).toEqual([
      ['sessions', 'ingest', [], 14],
      ['features', 'sql', ['sessions'], 19],
      ['intent', 'finetune', ['features', 'sessions'], 25],
    ]);
    expect(cells[2]?.queue).toBe('loom-gpu');
    expect(cells[2]?.overrides).toEqual({ retry: { maximumAttempts: 5, initialIntervalMs: 5_000 }, timeouts: { startToCloseMs: 7_200_000, heartbeatMs: 60_000 }, cache: false });
    expect(cells[2]?.config).toEqual({ dataset: '${cells.features.dataset}', epochs: '${params.epochs}', rate: '${params.rate}' });
    expect(notebook!.blocks).toEqual([
      { type: 'markdown', markdown: '# Spring loyalty campaign\nWho we target and why.', line: 11 },
      { type: 'cell', cellId: 'sessions', line: 14 },
      { type: 'cell', cellId: 'features', line: 19 },
      { type: 'markdown', markdown: 'Between cells.', line: 23 },
      { type: 'cell', cellId: 'intent', line: 25 },
    ]);
  });

  it('treats ordinary code fences as prose and accepts CRLF line endings', () => {
    const src = notebookSource('name: a', '```js\nconsole.log(1)\n```', '```cell sql id=q\nquery: select 1\n```').replace(/\n/g, '\r\n');
    const { notebook, issues } = parse(src);
    expect(issues).toEqual([]);
    expect(notebook?.cells.map((c) => c.id)).toEqual(['q']);
    expect(notebook?.blocks[0]).toMatchObject({ type: 'markdown', line: 4 });
    expect(notebook?.cells[0]?.line).toBe(10);
  });

  it('needs=[] means no dependency', () => {
    const src = notebookSource('name: a', '```cell sql id=a\nquery: x\n```', '```cell sql id=b needs=[]\nquery: y\n```');
    expect(parse(src).notebook?.cells[1]?.needs).toEqual([]);
  });
});

describe('parseNotebook: front matter', () => {
  it('requires front matter', () => {
    expect(only('# no front matter\n')).toMatchObject({ line: 1, column: 1, field: 'name' });
  });
  it('reports unclosed front matter', () => {
    expect(only('---\nname: a\n').message).toMatch(/never closed/);
  });
  it('requires a name and checks its spelling', () => {
    expect(only('---\ndescription: x\n---\n')).toMatchObject({ line: 1, field: 'name' });
    const bad = only('---\nname: Spring Loyalty\n---\n');
    expect(bad).toMatchObject({ line: 2, column: 7, field: 'name' });
    expect(bad.message).toMatch(/lowercase letters, digits and -/);
  });
  it('refuses unknown keys with a suggestion', () => {
    expect(only('---\nname: a\ndescriptoin: x\n---\n')).toMatchObject({ line: 3, column: 1, message: expect.stringContaining('did you mean "description"') });
  });
  it('validates the schedule shape', () => {
    const { issues } = parse('---\nname: a\nschedule:\n  cron: "0 2 * *"\n  timezone: Mars/Olympus\n  overlap: sometimes\n  catchupWindow: soon\n  params: { nope: 1 }\n---\n');
    expect(issues.map((i) => [i.line, i.column, i.field])).toEqual([
      [4, 9, 'schedule.cron'],
      [5, 13, 'schedule.timezone'],
      [6, 12, 'schedule.overlap'],
      [7, 18, 'schedule.catchupWindow'],
      [8, 13, 'schedule.params.nope'],
    ]);
    expect(issues[0]?.message).toMatch(/has 4 fields; a cron expression has 5/);
    expect(issues[2]?.message).toMatch(/skip, buffer_one/);
  });
  it('reports YAML syntax errors with their position', () => {
    const issue = only('---\nname: a\nparams: [1, 2\n---\n');
    expect(issue.line).toBeGreaterThanOrEqual(3);
    expect(issue.message).toMatch(/front matter is not valid YAML/);
  });
});

describe('parseNotebook: params', () => {
  it('checks types, bounds, enum values and defaults, all at once', () => {
    const { issues } = parse(
      notebookSource(
        [
          'params:',
          '  a: { type: integer }',
          '  b: { type: int, default: 1.5 }',
          '  c: { type: int, min: 5, max: 1 }',
          '  d: { type: enum }',
          '  e: { type: string, min: 1 }',
          '  f: { type: float, default: 9, max: 3 }',
          '  g: { type: bool, default: yes }',
          '  h: { type: int, colour: red }',
          '  9x: { type: int }',
          '  i: 5',
          'name: a',
        ].join('\n'),
      ),
    );
    expect(issues.map((i) => [i.line, i.column, i.field])).toEqual([
      [3, 14, 'params.a.type'],
      [4, 28, 'params.b.default'],
      [5, 24, 'params.c.min'],
      [6, 6, 'params.d'],
      [7, 27, 'params.e.min'],
      [8, 30, 'params.f.default'],
      [9, 29, 'params.g.default'],
      [10, 19, 'params.h.colour'],
      [11, 3, 'params.9x'],
      [12, 6, 'params.i'],
    ]);
    expect(issues[0]?.message).toContain('(did you mean "int"?)');
    expect(issues[1]?.message).toMatch(/default expects a whole number/);
    expect(issues[5]?.message).toMatch(/at most 3, got 9/);
  });
});

describe('parseNotebook: cell headers', () => {
  it('reports unknown kinds with the known ones', () => {
    const issue = only(notebookSource('name: a', '```cell finetun id=intent\ndataset: x\nepochs: 1\n```'));
    expect(issue).toMatchObject({ line: 6, column: 9, cellId: 'intent' });
    expect(issue.message).toBe('cell "intent": unknown kind "finetun"; known kinds: ingest, sql, finetune (did you mean "finetune"?)');
  });
  it('reports missing ids, bad ids, unknown and repeated attributes, bad queues', () => {
    const { issues } = parse(notebookSource('name: a', '```cell sql\nquery: x\n```', '```cell sql id=Bad queue=tpu colour=red\nquery: x\n```', '```cell sql id=c id=d\nquery: x\n```'));
    expect(issues.map((i) => [i.line, i.column])).toEqual([
      [6, 9],
      [10, 16],
      [10, 26],
      [10, 30],
      [14, 18],
    ]);
    expect(issues[0]?.message).toMatch(/has no id; add one/);
    expect(issues[2]?.message).toMatch(/queue "tpu" is not a queue; use queue=cpu or queue=gpu/);
    expect(issues[3]?.message).toMatch(/unknown attribute "colour"/);
    expect(issues[4]?.message).toMatch(/id= is given twice/);
  });
  it('reports duplicate ids, unknown needs, self needs and cycles, naming the cycle', () => {
    const { issues } = parse(
      notebookSource(
        'name: a',
        '```cell sql id=a needs=[c]\nquery: x\n```',
        '```cell sql id=b needs=[a]\nquery: x\n```',
        '```cell sql id=c needs=[b, featurs]\nquery: x\n```',
        '```cell sql id=d needs=[d]\nquery: x\n```',
        '```cell sql id=a needs=[]\nquery: x\n```',
      ),
    );
    const messages = issues.map((i) => `${i.line}:${i.column} ${i.message}`);
    expect(messages).toEqual([
      '6:1 cells form a cycle: a → c → b → a; remove one of these needs',
      '14:28 cell "c" needs "featurs", which is not a cell in this notebook',
      '18:25 cell "d" needs itself; remove "d" from its needs',
      '22:1 cell id "a" is already used by the cell on line 6; give each cell its own id',
    ]);
  });
  it('reports an unclosed cell fence', () => {
    const issue = only('---\nname: a\n---\n```cell sql id=q\nquery: x\n');
    expect(issue).toMatchObject({ line: 4, column: 1, cellId: 'q' });
    expect(issue.message).toMatch(/never closed; add a line with ```/);
  });
  it('refuses cell blocks inside lists', () => {
    expect(only('---\nname: a\n---\n- item\n\n  ```cell sql id=q\n  query: x\n  ```\n')).toMatchObject({ line: 6, column: 3 });
  });
});

describe('parseNotebook: cell config', () => {
  it('maps kind schema issues to the YAML node, every one at once', () => {
    const { issues } = parse(notebookSource('name: a', '```cell ingest id=s\nsource:\n  csv: 5\nlimit: -1\nextra: true\n```', '```cell sql id=q\n```'));
    expect(issues.map((i) => [i.line, i.column, i.cellId, i.field])).toEqual([
      [8, 8, 's', 'source.csv'],
      [9, 8, 's', 'limit'],
      [10, 1, 's', 'extra'],
      [13, 1, 'q', 'query'],
    ]);
    expect(issues[0]?.message).toMatch(/^cell "s" source\.csv: Invalid input: expected string/);
    expect(issues[2]?.message).toMatch(/unknown setting for kind ingest/);
    expect(issues[3]?.message).toMatch(/^cell "q" query: missing; kind sql needs it/);
  });
  it('checks reserved keys', () => {
    const { issues } = parse(
      notebookSource('name: a', '```cell sql id=q\nquery: x\nretry: { maximumAttempts: 0, initialInterval: 5, backof: 2 }\ntimeout: 10 minutes\nheartbeatTimeout: 0s\ncache: maybe\n```'),
    );
    expect(issues.map((i) => [i.line, i.column, i.field])).toEqual([
      [8, 27, 'retry.maximumAttempts'],
      [8, 47, 'retry.initialInterval'],
      [8, 50, 'retry.backof'],
      [9, 10, 'timeout'],
      [10, 19, 'heartbeatTimeout'],
      [11, 8, 'cache'],
    ]);
    expect(issues[0]?.message).toMatch(/from 1 to 100/);
    expect(issues[2]?.message).toMatch(/did you mean "backoffCoefficient"/);
    expect(issues[3]?.message).toMatch(/"30s", "10m" or "2h"/);
  });
  it('refuses a body that is not a mapping, and YAML errors inside a cell', () => {
    const { issues } = parse(notebookSource('name: a', '```cell sql id=q\n- a\n- b\n```', '```cell sql id=r\nquery: [x\n```'));
    expect(issues.map((i) => [i.line, i.cellId])).toEqual([
      [7, 'q'],
      [12, 'r'],
    ]);
    expect(issues[0]?.message).toMatch(/must be a YAML mapping/);
    expect(issues[1]?.message).toMatch(/cell "r" is not valid YAML/);
  });
  it('checks ${params.x} and ${cells.id.output} references at parse time', () => {
    const { issues } = parse(
      notebookSource(
        'name: a\nparams: { n: { type: int, default: 5 } }',
        '```cell ingest id=s\nsource: { csv: "${params.nn}" }\n```',
        '```cell sql id=q needs=[]\nquery: "${cells.s.dataset} ${cells.zz.dataset} ${cells.q.rows} ${oops}"\n```',
        '```cell sql id=r\nquery: "${cells.q.model}"\ntimeout: ${cells.q.rows}\n```',
      ),
    );
    expect(issues.map((i) => `${i.line}:${i.column} ${i.message}`)).toEqual([
      '8:16 cell "s" source.csv: "${params.nn}" refers to param "nn", which is not declared; declared params: n (did you mean "n"?)',
      '12:8 cell "q" query: "${oops}" is not a reference Loom understands; write ${params.<name>} or ${cells.<id>.<output>}, or "$${" for a literal "${"',
      '12:8 cell "q" query: "${cells.s.dataset}" uses cell "s", which this cell does not need; add it to needs=[…]',
      '12:8 cell "q" query: "${cells.zz.dataset}" refers to cell "zz", which is not a cell in this notebook',
      '12:8 cell "q" query: "${cells.q.rows}" refers to this cell itself; a cell can only use outputs of cells it needs',
      '16:8 cell "r" query: "${cells.q.model}": cell "q" (kind sql) has no output "model"; its outputs: dataset, rows',
      '17:10 cell "r" timeout: "${cells.q.rows}" cannot be used in timeout, which must be known before the run starts; use a value or a param',
    ]);
  });
  it('does not type-check fields holding ${cells…} or params without a default', () => {
    const src = notebookSource(
      'name: a\nparams: { e: { type: int } }',
      '```cell ingest id=s\nsource: { csv: x }\n```',
      '```cell finetune id=f\ndataset: x\nepochs: ${params.e}\nrate: ${cells.s.rows}\n```',
    );
    expect(parse(src).issues).toEqual([]);
  });
  it('hints at quoting ${…} inside flow collections', () => {
    expect(only(notebookSource('name: a', '```cell ingest id=s\nsource: { csv: ${params.x} }\n```')).message).toMatch(/put quotes around values with \$\{…\}/);
  });
});

describe('parseNotebook: limits against hostile input', () => {
  it('refuses sources over 1 MiB', () => {
    expect(only('x'.repeat(1024 * 1024 + 1))).toMatchObject({ line: 1, column: 1, message: expect.stringMatching(/1 MiB/) });
  });
  it('refuses more than 500 cells', () => {
    const cells = Array.from({ length: 501 }, (_, i) => `\`\`\`cell sql id=c${i}\nquery: x\n\`\`\``);
    const issue = only(notebookSource('name: a', ...cells));
    expect(issue.line).toBe(6 + 500 * 4);
    expect(issue.message).toMatch(/more than 500 cells/);
  });
  it('reports YAML alias bombs', () => {
    const bomb = ['a: &a [x,x,x,x,x,x,x,x,x]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'query: [*c,*c,*c,*c,*c,*c,*c,*c,*c]'].join('\n');
    expect(only(notebookSource('name: a', `\`\`\`cell sql id=q\n${bomb}\n\`\`\``)).message).toMatch(/aliases more than 100 times/);
  });
  it('reports deep nesting without overflowing the stack', () => {
    const deep = `query: ${'['.repeat(5000)}${']'.repeat(5000)}`;
    const flow = only(notebookSource('name: a', `\`\`\`cell sql id=q\n${deep}\n\`\`\``));
    expect(flow.cellId).toBe('q');
    const block = Array.from({ length: 40 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    expect(only(notebookSource('name: a', `\`\`\`cell sql id=q\n${block} 1\n\`\`\``)).message).toMatch(/nested deeper than 32 levels/);
  });
  it('reports __proto__ keys instead of using them', () => {
    expect(only(notebookSource('name: a', '```cell sql id=q\nquery: x\n__proto__: { polluted: 1 }\n```')).message).toMatch(/"__proto__" is not allowed/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

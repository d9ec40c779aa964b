import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MIME } from '../../core/mime.js';
import type { LoomYoga } from '../../graphql/yoga.js';
import { gql, testYoga, tokenFor } from '../graphql/client.js';
import { REPO_ROOT, startTestStack, type TestStack } from '../helpers/loom-stack.js';
import { DRIVERS } from '../helpers/databases.js';

const RUN_FIELDS = `
  id status error
  cells { cellId kind queue status attempt durationMs error result
          attempts { attempt status }
          outputs { seq data metadata } }`;

/** Reads the SSE stream of `runUpdated` until the server completes it; returns the statuses seen. */
async function followRun(yoga: LoomYoga, token: string, runId: string): Promise<string[]> {
  const res = await yoga.fetch('http://loom.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: `subscription($id: ID!) { runUpdated(id: $id) { status cells { cellId status } } }`, variables: { id: runId } }),
  });
  expect(res.status).toBe(200);
  const text = await res.text(); // the stream ends when the run is terminal
  return text
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => JSON.parse(l.slice(6)) as { data?: { runUpdated: { status: string } } })
    .filter((e) => e.data)
    .map((e) => e.data!.runUpdated.status);
}

describe.each(DRIVERS)('a notebook launched through GraphQL runs on real workers and reads back through GraphQL (%s)', (driver) => {
  let stack: TestStack;
  let yoga: LoomYoga;
  let launcher: string;
  let viewer: string;

  beforeAll(async () => {
    stack = await startTestStack({ driver });
    yoga = testYoga(stack.db, stack.env.client);
    launcher = await tokenFor(stack.db, 'launcher');
    viewer = await tokenFor(stack.db, 'viewer');
  });
  afterAll(async () => {
    await stack?.close();
  });

  test('save → launch → live updates → finished run with cells, attempts and outputs', async () => {
    const source = fs.readFileSync(path.join(REPO_ROOT, 'tests', 'fixtures', 'notebooks', 'shopper-segments.md'), 'utf8');
    const saved = await gql(yoga, launcher, `mutation($s: String!) { saveNotebook(source: $s) { version { version } issues { message } } }`, { s: source });
    expect(saved.body.errors).toBeUndefined();
    expect(saved.body.data!.saveNotebook.issues).toEqual([]);

    const launched = await gql(yoga, launcher, `mutation { launchRun(notebook: "shopper-segments", params: { min_sessions: 40 }) { id status } }`);
    expect(launched.body.errors).toBeUndefined();
    const runId = launched.body.data!.launchRun.id as string;
    expect(runId).toMatch(/^run-[0-9A-Z]{26}$/);

    const statuses = await followRun(yoga, viewer, runId);
    expect(statuses.at(-1)).toBe('succeeded');

    const read = await gql(yoga, viewer, `query($id: ID!) { run(id: $id) { ${RUN_FIELDS} } }`, { id: runId });
    expect(read.body.errors).toBeUndefined();
    const run = read.body.data!.run;
    expect(run.status).toBe('succeeded');
    expect(run.cells.map((c: { cellId: string; status: string }) => [c.cellId, c.status])).toEqual([
      ['sessions', 'succeeded'], ['segments', 'succeeded'], ['repeat_buyers', 'succeeded'],
    ]);
    const sample = fs.readFileSync(path.join(REPO_ROOT, 'data', 'sample', 'shoppers.csv'), 'utf8').trim().split('\n').length - 1;
    const sessions = run.cells[0];
    expect(sessions.result.rows).toBe(sample);
    expect(sessions.attempts).toEqual([{ attempt: 1, status: 'succeeded' }]);
    const roles = sessions.outputs.map((o: { metadata: { loom?: string } }) => o.metadata.loom);
    expect(roles).toEqual(expect.arrayContaining(['summary', 'schema', 'sample', 'profile']));
    const html = sessions.outputs.find((o: { metadata: { loom?: string } }) => o.metadata.loom === 'schema').data[MIME.html] as string;
    expect(html).toContain('<table');
    // PII is hashed before storage: no raw e-mail appears in any output.
    expect(JSON.stringify(sessions.outputs)).not.toMatch(/@example\.com/);
    // The segments respect the launch param: every reported segment has at least 40 sessions.
    const segmentSample = run.cells[1].outputs.find((o: { metadata: { loom?: string } }) => o.metadata.loom === 'sample').data[MIME.json];
    const sessionsCol = segmentSample.columns.indexOf('sessions');
    expect(segmentSample.rows.length).toBeGreaterThan(0);
    for (const row of segmentSample.rows) expect(Number(row[sessionsCol])).toBeGreaterThanOrEqual(40);

    const listed = await gql(yoga, viewer, `{ runs(first: 5, notebook: "shopper-segments", status: succeeded) { edges { node { id } } } }`);
    expect(listed.body.data!.runs.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(runId);
    const datasets = await gql(yoga, viewer, `query($r: ID!) { datasets(run: $r, first: 10) { edges { node { name rowCount columns { name type pii } } } } }`, { r: runId });
    const byName = Object.fromEntries(datasets.body.data!.datasets.edges.map((e: { node: { name: string } }) => [e.node.name, e.node]));
    expect(byName.sessions.rowCount).toBe(sample);
    expect(byName.sessions.columns.find((c: { name: string }) => c.name === 'email')).toMatchObject({ type: 'text', pii: true });
  });

  test('a viewer cannot launch, and a failing cell surfaces its message through GraphQL', async () => {
    const denied = await gql(yoga, viewer, `mutation { launchRun(notebook: "shopper-segments") { id } }`);
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const launched = await gql(yoga, launcher, `mutation { launchRun(notebook: "shopper-segments", params: { dataset: "data/sample/missing.csv" }) { id } }`);
    const runId = launched.body.data!.launchRun.id as string;
    await followRun(yoga, viewer, runId);
    const read = await gql(yoga, viewer, `query($id: ID!) { run(id: $id) { ${RUN_FIELDS} } }`, { id: runId });
    const run = read.body.data!.run;
    expect(run.status).toBe('failed');
    expect(run.cells[0]).toMatchObject({ cellId: 'sessions', status: 'failed', attempt: 1 });
    expect(run.cells[0].error).toMatch(/missing\.csv/);
    expect(run.cells.slice(1).map((c: { status: string }) => c.status)).toEqual(['skipped', 'skipped']);
    expect(run.error).toContain(run.cells[0].error);
  });
});

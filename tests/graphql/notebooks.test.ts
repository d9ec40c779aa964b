import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { startDevServer } from '../helpers/temporal.js';
import { notebookSource } from '../services/fixtures.js';
import { codes, gql, testYoga, tokenFor } from './client.js';
import type { LoomYoga } from '../../graphql/yoga.js';

const SAVE = `mutation($s: String!) { saveNotebook(source: $s) {
  created notebook { name latestVersionNumber } version { version contentHash } issues { message line column cellId field } } }`;

describe('notebooks and launching over GraphQL', () => {
  let env: TestWorkflowEnvironment;
  let t: TestDatabase;
  let yoga: LoomYoga;
  let launcher: string;

  beforeAll(async () => {
    [env, t] = await Promise.all([startDevServer(), createTestDatabase('pglite')]);
    yoga = testYoga(t.db, env.client);
    launcher = await tokenFor(t.db, 'launcher');
  });
  afterAll(async () => {
    await t?.drop();
    await env?.teardown();
  });

  it('returns validation problems as located issues, not errors', async () => {
    const res = await gql(yoga, launcher, SAVE, { s: notebookSource().replace('id=summary', 'id=Bad Id!') });
    expect(res.body.errors).toBeUndefined();
    const payload = res.body.data!.saveNotebook;
    expect(payload.version).toBeNull();
    expect(payload.created).toBe(false);
    expect(payload.issues.length).toBeGreaterThan(0);
    expect(payload.issues[0].line).toBe(14);
  });

  it('saves once and returns the same version for the same source', async () => {
    const a = await gql(yoga, launcher, SAVE, { s: notebookSource() });
    const b = await gql(yoga, launcher, SAVE, { s: notebookSource() });
    expect(a.body.data!.saveNotebook).toMatchObject({ created: true, version: { version: 1 }, issues: [] });
    expect(b.body.data!.saveNotebook).toMatchObject({ created: false, version: { version: 1 } });
    const nb = await gql(yoga, launcher, '{ notebook(name: "weekly-report") { name versions { version } latestVersion { source } } }');
    expect(nb.body.data!.notebook).toEqual({ name: 'weekly-report', versions: [{ version: 1 }], latestVersion: { source: notebookSource() } });
    const list = await gql(yoga, launcher, '{ notebooks(first: 10) { edges { node { name } } pageInfo { hasNextPage } } }');
    expect(list.body.data!.notebooks.edges).toEqual([{ node: { name: 'weekly-report' } }]);
    expect((await gql(yoga, launcher, '{ notebook(name: "missing") { name } }')).body.data!.notebook).toBeNull();
  });

  it('launches a run that Temporal starts, then cancels it', async () => {
    const res = await gql(yoga, launcher, 'mutation($p: JSON) { launchRun(notebook: "weekly-report", params: $p) { id status params cells { cellId status } } }', {
      p: { days: 14 },
    });
    expect(res.body.errors).toBeUndefined();
    const run = res.body.data!.launchRun;
    expect(run).toMatchObject({ status: 'queued', params: { days: 14 }, cells: [{ cellId: 'summary', status: 'pending' }, { cellId: 'again', status: 'pending' }] });
    expect((await env.client.workflow.getHandle(run.id).describe()).status.name).toBe('RUNNING');

    const cancelled = await gql(yoga, launcher, 'mutation($id: ID!) { cancelRun(id: $id) { id } }', { id: run.id });
    expect(cancelled.body.errors).toBeUndefined();
    const again = await gql(yoga, launcher, '{ run(id: "run-nope") { id } }');
    expect(again.body.data!.run).toBeNull();
  });

  it('refuses bad params with BAD_USER_INPUT naming the param', async () => {
    const res = await gql(yoga, launcher, 'mutation { launchRun(notebook: "weekly-report", params: { days: 1000 }) { id } }');
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors?.[0]?.message).toMatch(/days/);
    const notObject = await gql(yoga, launcher, 'mutation { launchRun(notebook: "weekly-report", params: [1, 2]) { id } }');
    expect(codes(notObject)).toEqual(['BAD_USER_INPUT']);
    const missing = await gql(yoga, launcher, 'mutation { launchRun(notebook: "ghost") { id } }');
    expect(codes(missing)).toEqual(['NOT_FOUND']);
    const cancelMissing = await gql(yoga, launcher, 'mutation { cancelRun(id: "run-ghost") { id } }');
    expect(codes(cancelMissing)).toEqual(['NOT_FOUND']);
  });
});

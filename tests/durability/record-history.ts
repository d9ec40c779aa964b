/**
 * Records the history of one campaign run as the replay fixture `fixtures/campaign-run-history.json`.
 * The run covers the workflow's main paths: parallel branches, an ingest feeding a SQL cell, a cell
 * retried after a transient fault, and a cell failing on bad input so its downstream cell is skipped.
 *
 *   npx tsx tests/durability/record-history.ts
 *
 * Needs the temporal CLI and the test Postgres server (LOOM_TEST_POSTGRES_URL). Re-record only when
 * a change to workflows/ is meant to be incompatible with runs already in flight.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installTemporalRuntime } from '../../runtime/temporal-runtime.js';
import { startTestStack } from '../helpers/loom-stack.js';
import { attemptsOf, cellBlock, historyToFixture, notebookSource, writeCustomersCsv } from './support.js';

export const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'campaign-run-history.json');

async function main(): Promise<void> {
  installTemporalRuntime();
  const stack = await startTestStack({ driver: 'postgres' });
  try {
    const csv = path.join(stack.tmpDir, 'customers.csv');
    writeCustomersCsv(csv, 200);
    const source = notebookSource('replay-fixture', [
      cellBlock('echo', 'id=start', 'value: hello'),
      cellBlock('flaky', 'id=shaky needs=[start]', 'failures: 1'),
      cellBlock('ingest', 'id=customers needs=[]', `source: { csv: ${JSON.stringify(csv)} }`),
      cellBlock('sql', 'id=by_country', 'datasets: { src: "${cells.customers.dataset}" }\nquery: select country, count(*) as n from src group by country'),
      cellBlock('invalid', 'id=broken needs=[start]', "message: 'column \"spend\" is not numeric at line 3'"),
      cellBlock('echo', 'id=after_broken needs=[broken]', 'value: never'),
      cellBlock('echo', 'id=join needs=[shaky, by_country]', 'value: "${cells.shaky.attempt}-${cells.by_country.rows}"'),
    ]);
    const runId = await stack.launch(source);
    const run = await stack.waitForRun(runId, 60_000);
    const cells = Object.fromEntries((await stack.cells(runId)).map((c) => [c.cellId, c.status]));
    const shaky = await attemptsOf(stack.db, runId, 'shaky');
    const expected = { start: 'succeeded', shaky: 'succeeded', customers: 'succeeded', by_country: 'succeeded', broken: 'failed', after_broken: 'skipped', join: 'succeeded' };
    if (run.status !== 'failed' || JSON.stringify(cells) !== JSON.stringify({ ...cells, ...expected }) || shaky.length !== 2) {
      throw new Error(`the run did not take the intended paths: ${run.status}, ${JSON.stringify(cells)}, shaky attempts ${shaky.length}`);
    }
    const history = await stack.env.client.workflow.getHandle(runId).fetchHistory();
    fs.mkdirSync(path.dirname(FIXTURE), { recursive: true });
    fs.writeFileSync(FIXTURE, JSON.stringify(historyToFixture(history), null, 1) + '\n');
    process.stdout.write(`recorded ${history.events?.length ?? 0} events of ${runId} into ${path.relative(process.cwd(), FIXTURE)}\n`);
  } finally {
    await stack.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

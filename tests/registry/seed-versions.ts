import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../db/client.js';
import { datasets } from '../../db/schema/datasets.js';
import { registerVersion } from '../../services/models.js';
import { insertTestRun } from '../helpers/runs.js';
import { testRows, testTransform, WEIGHTS_A, WEIGHTS_B, writeTestModel } from './fixtures.js';

/**
 * Two registered versions of `name` (different weights and thresholds) trained on a real feature
 * table of 50 customers in `loom_data`, as a deploy cell would leave them.
 */
export async function seedTwoVersions(db: Database, dir: string, name: string) {
  const { runId } = await insertTestRun(db);
  const table = `ds_${crypto.randomBytes(6).toString('hex')}`;
  const rows = testRows(50, 7).map((r, i) => ({ customer_id: `c-${i}`, ...r, purchased: i % 2 }));
  await db.query(`CREATE TABLE loom_data.${table} (customer_id text, age integer, channel text, member boolean, review text, purchased integer)`);
  for (const r of rows) {
    await db.query(`INSERT INTO loom_data.${table} VALUES ($1, $2, $3, $4, $5, $6)`, [r.customer_id, r.age, r.channel, r.member, r.review, r.purchased]);
  }
  const datasetId = `ds-${table}`;
  await db.orm.insert(datasets).values({
    id: datasetId, name: 'features', tableName: table, runId, cellId: 'features', rowCount: rows.length, source: 'test', contentHash: 'feat-hash',
    columns: [
      { name: 'customer_id', type: 'text', nullable: false }, { name: 'age', type: 'integer', nullable: true },
      { name: 'channel', type: 'text', nullable: true }, { name: 'member', type: 'boolean', nullable: true },
      { name: 'review', type: 'text', nullable: true }, { name: 'purchased', type: 'integer', nullable: true },
    ],
  });
  const versions = [];
  for (const [i, weights] of [WEIGHTS_A, WEIGHTS_B].entries()) {
    const file = writeTestModel(path.join(dir, name), `v${i + 1}.onnx`, { weights, bias: i === 0 ? -0.1 : 0.2 });
    const sha = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const { version } = await registerVersion({ db }, {
      model: name, runId, cellId: `deploy${i}`, artifactPath: () => file, artifactSha256: sha,
      metrics: { auc: 0.8 + i / 100, threshold: i === 0 ? 0.5 : 0.6 }, featureSpec: testTransform() as never,
      datasetId, datasetHash: 'feat-hash',
    });
    versions.push(version);
  }
  return { runId, datasetId, rows, versions: versions as [typeof versions[0] & object, typeof versions[0] & object] };
}

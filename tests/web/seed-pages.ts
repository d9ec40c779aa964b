import { assignCustomer } from '../../services/experiments/assignment.js';
import { createExperiment, saveSnapshot } from '../../services/experiments/store.js';
import { setAlias } from '../../services/models.js';
import { saveNotebookAndSchedule } from '../../services/schedules.js';
import { seedTwoVersions } from '../registry/seed-versions.js';
import type { WebStack } from './web-stack.js';

export const MODEL = 'web-intent';
export const EXPERIMENT = 'web-loyalty';
export const SCHEDULED = 'web-nightly';

/** A notebook with a param that changes between the two runs the compare page shows. */
export const COMPARED = (label: string) => `---
name: web-compare
params:
  label: { type: string, default: spring }
  bars: { type: int, default: 3, min: 1, max: 10 }
---
# Compared

\`\`\`cell echo id=pick
value: "\${params.label}"
\`\`\`

\`\`\`cell chart id=bars needs=[pick]
bars: { direct: 12, search: 30, social: ${label === 'a' ? 7 : 9} }
\`\`\`
`;

const SCHEDULED_SOURCE = `---
name: ${SCHEDULED}
schedule: { cron: "0 2 * * *", timezone: Europe/Paris, overlap: skip }
---
# Nightly

\`\`\`cell echo id=hello
value: nightly
\`\`\`
`;

/** A snapshot's primary-metric result; the interval narrows as data arrives. */
function result(relative: number, halfWidth: number, p: number) {
  return {
    metric: 'repeat_purchase_30d', role: 'primary', better: 'higher', arms: [], absolute: relative * 0.2, relative,
    ci: [relative - halfWidth, relative + halfWidth], absoluteCi: [(relative - halfWidth) * 0.2, (relative + halfWidth) * 0.2],
    pValue: p, eValue: 1 / p, conclusive: p < 0.05, verdict: p < 0.05 ? 'better' : 'inconclusive', varianceReduction: null,
  };
}

/**
 * What the new pages read, through the same services a run uses: a model with two real ONNX
 * versions and moved aliases, an experiment with exposures and three analyses (the last with a
 * sample-ratio mismatch), a scheduled notebook, and two finished runs of one notebook.
 */
export async function seedPages(web: WebStack) {
  const db = web.stack.db;
  const { versions } = await seedTwoVersions(db, web.stack.tmpDir, MODEL);
  await setAlias({ db }, MODEL, 'champion', versions[0].id, 'growth-admin', 'first model');
  await setAlias({ db }, MODEL, 'challenger', versions[1].id, 'growth-admin', 'new features');

  const { experiment } = await createExperiment({ db }, {
    name: EXPERIMENT, modelName: MODEL, runId: 'run-web-seed', cellId: 'ab', config: { metric: { type: 'repeat_purchase', days: 30 } },
    arms: [
      { name: 'control', weight: 1, modelAlias: 'champion', modelVersionId: versions[0].id },
      { name: 'treatment', weight: 1, modelAlias: 'challenger', modelVersionId: versions[1].id },
    ],
  });
  for (let i = 0; i < 12; i++) await assignCustomer({ db }, { experiment: EXPERIMENT, customerId: `web-c${i}` });
  const days = ['2026-03-01', '2026-03-02', '2026-03-03'];
  const fits = [result(0.08, 0.2, 0.4), result(0.06, 0.1, 0.08), result(0.05, 0.04, 0.01)];
  for (const [i, day] of days.entries()) {
    const mismatch = i === days.length - 1;
    await saveSnapshot({ db }, {
      experimentId: experiment.id, asOf: new Date(`${day}T00:00:00Z`), decision: null, results: [fits[i]!],
      srm: { observed: { control: mismatch ? 900 : 500, treatment: mismatch ? 1100 : 500 }, expected: { control: 1000, treatment: 1000 }, chiSquare: mismatch ? 20 : 0, pValue: mismatch ? 7.7e-6 : 1, mismatch },
    });
  }

  const saved = await saveNotebookAndSchedule({ db, temporal: web.stack.env.client, kinds: web.stack.kinds }, SCHEDULED_SOURCE);
  if ('issues' in saved) throw new Error(`scheduled notebook did not save: ${JSON.stringify(saved.issues)}`);

  const runA = await web.stack.launch(COMPARED('a'), { label: 'spring' });
  const runB = await web.stack.launch(COMPARED('b'), { label: 'autumn', bars: 5 });
  await Promise.all([web.stack.waitForRun(runA), web.stack.waitForRun(runB)]);
  return { versions, experiment, runA, runB };
}

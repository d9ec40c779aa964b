import { exportRunToHtml } from '../../export/html.js';
import { exportRunToIpynb } from '../../export/ipynb.js';
import type { ServiceDeps } from '../deps.js';
import { loadRunSnapshot } from './snapshot.js';

export { loadRunSnapshot, checkRunId, TolerantKinds } from './snapshot.js';

/** The run as nbformat 4.5 JSON text (what a `.ipynb` file holds). */
export async function exportRunIpynb(deps: Pick<ServiceDeps, 'db' | 'kinds'>, runId: string): Promise<string> {
  return `${JSON.stringify(exportRunToIpynb(await loadRunSnapshot(deps, runId)), null, 1)}\n`;
}

/** The run as one self-contained HTML page. */
export async function exportRunHtml(deps: Pick<ServiceDeps, 'db' | 'kinds'>, runId: string): Promise<string> {
  return exportRunToHtml(await loadRunSnapshot(deps, runId));
}

// The workflow bundle's entry: every workflow type the workers register.
export { campaignRun } from './campaign-run.js';
export { scheduledRun } from './scheduled-run.js';
export { experimentRun } from './experiment.js';

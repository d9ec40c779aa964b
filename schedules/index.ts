/** Pure schedule logic: notebook `schedule` front matter → Temporal Schedule options, input checks. */
export { cronProblem, MAX_CRON_LENGTH } from './cron.js';
export { toScheduleOptions, toTemporalOverlap, scheduleIdFor, SCHEDULED_RUN_WORKFLOW, type ScheduleOptions, type ScheduledRunInput, type TemporalOverlap } from './options.js';
export { backfillRange, cleanNote, MAX_BACKFILL_MS, MAX_NOTE_LENGTH } from './backfill.js';

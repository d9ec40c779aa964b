import type { ScheduleInfo } from '../../services/schedules.js';
import {
  backfillSchedule,
  getSchedule,
  listSchedules,
  pauseSchedule,
  triggerSchedule,
  unpauseSchedule,
} from '../../services/schedules.js';
import { OVERLAP_POLICIES, type OverlapPolicy } from '../../notebook/types.js';
import { builder } from '../builder.js';

const OverlapEnum = builder.enumType('ScheduleOverlap', { values: [...OVERLAP_POLICIES] as OverlapPolicy[] });

const ScheduleRef = builder.objectRef<ScheduleInfo>('Schedule').implement({
  description: "A notebook's Temporal Schedule, kept in step with its `schedule` front matter.",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'schedule-<notebook name>.' }),
    notebook: t.exposeString('notebook'),
    cron: t.exposeString('cron'),
    timezone: t.exposeString('timezone'),
    overlap: t.exposeString('overlap'),
    paused: t.exposeBoolean('paused'),
    note: t.exposeString('note', { nullable: true }),
    nextRunTimes: t.field({ type: ['DateTime'], resolve: (s) => s.nextRunTimes }),
    lastFiredAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.lastFiredAt }),
    lastRunId: t.exposeString('lastRunId', { nullable: true }),
  }),
});

builder.queryFields((t) => ({
  schedules: t.field({
    type: [ScheduleRef],
    description: 'Every notebook schedule with its next and last fire times.',
    resolve: (_root, _args, ctx) => listSchedules(ctx),
  }),
  schedule: t.field({
    type: ScheduleRef,
    args: { notebook: t.arg.string({ required: true, description: 'Notebook name or schedule id.' }) },
    resolve: (_root, args, ctx) => getSchedule(ctx, args.notebook),
  }),
}));

builder.mutationFields((t) => ({
  pauseSchedule: t.field({
    type: ScheduleRef,
    args: { notebook: t.arg.string({ required: true }), note: t.arg.string({ required: false, description: 'Why (at most 500 characters).' }) },
    resolve: (_root, args, ctx) => pauseSchedule(ctx, args.notebook, args.note ?? undefined),
  }),
  unpauseSchedule: t.field({
    type: ScheduleRef,
    args: { notebook: t.arg.string({ required: true }), note: t.arg.string({ required: false }) },
    resolve: (_root, args, ctx) => unpauseSchedule(ctx, args.notebook, args.note ?? undefined),
  }),
  triggerSchedule: t.field({
    type: ScheduleRef,
    description: 'Fires the schedule now; the run appears among runs, launched by schedule:<id>.',
    args: { notebook: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => triggerSchedule(ctx, args.notebook),
  }),
  backfillSchedule: t.field({
    type: ScheduleRef,
    description: 'Takes the runs the schedule would have taken in [start, end) (at most 366 days).',
    args: {
      notebook: t.arg.string({ required: true }),
      start: t.arg({ type: 'DateTime', required: true }),
      end: t.arg({ type: 'DateTime', required: true }),
      overlap: t.arg({ type: OverlapEnum, required: false, description: 'Default allow_all.' }),
    },
    resolve: (_root, args, ctx) => backfillSchedule(ctx, args.notebook, { start: args.start, end: args.end, overlap: args.overlap ?? undefined }),
  }),
}));

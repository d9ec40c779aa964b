import type { ApprovalDecision } from '../../core/run-plan.js';
import { decideApproval } from '../../services/approvals.js';
import { builder } from '../builder.js';

const DecisionRef = builder.objectRef<ApprovalDecision & { runId: string }>('ApprovalDecision').implement({
  description: 'A decision sent to a run; the cell moves on once the run receives it.',
  fields: (t) => ({
    runId: t.exposeString('runId'),
    cellId: t.exposeString('cellId'),
    decision: t.exposeString('decision', { description: 'approved or rejected.' }),
    by: t.exposeString('by'),
    note: t.exposeString('note', { nullable: true }),
  }),
});

const args = (t: Parameters<Parameters<typeof builder.mutationFields>[0]>[0]) => ({
  runId: t.arg.id({ required: true }),
  cellId: t.arg.string({ required: true }),
  note: t.arg.string({ required: false }),
});

builder.mutationFields((t) => ({
  approveDeployment: t.field({
    type: DecisionRef,
    description: 'Approves a deploy cell that awaits approval.',
    args: args(t),
    resolve: async (_r, a, ctx) => ({ runId: String(a.runId), ...(await decideApproval(ctx, { runId: String(a.runId), cellId: a.cellId, decision: 'approved', by: ctx.token.name, note: a.note })) }),
  }),
  rejectDeployment: t.field({
    type: DecisionRef,
    description: 'Rejects a deploy cell that awaits approval; the cell fails with the note.',
    args: args(t),
    resolve: async (_r, a, ctx) => ({ runId: String(a.runId), ...(await decideApproval(ctx, { runId: String(a.runId), cellId: a.cellId, decision: 'rejected', by: ctx.token.name, note: a.note })) }),
  }),
}));

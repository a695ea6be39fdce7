/**
 * The membership workflow under the time-skipping server. Visits report to it as the synced
 * appointment activities do in production (`visitChanged` signals carrying the visit's row state);
 * the validity end and the expiry reminder are timers that the server skips to.
 */
import { randomUUID } from 'node:crypto';
import { activityInfo } from '@temporalio/activity';
import { type WorkflowHandle, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { RecordMembershipChangeInput, SendMembershipMessageInput } from '../../activities/memberships';
import type { PipelineStage, ServiceStatus } from '../../src/domain/stages';
import { DAY_MS, HOUR_MS } from '../../src/domain/time';
import { httpErrorForUpdate } from '../../src/http/workflow-errors';
import { DEFAULT_VISIT_POLICY } from '../../src/memberships/policy';
import {
  type MembershipSnapshot,
  type MembershipState,
  type VisitSnapshot,
  MEMBERSHIP_REFUSALS,
  extendValidityUpdate,
  membershipStateQuery,
  syncVisitUpdate,
  VISIT_CLOSE_GRACE_MS,
  visitChangedSignal,
} from '../../workflows/membership/messages';
import type { MembershipActivities } from '../../workflows/membership/activities';
import type { membershipWorkflow } from '../../workflows/membership/workflow';
import { recordHistory } from '../support/histories';
import { timeSkippingEnv, workflowBundle } from '../support/temporal';

jest.setTimeout(240_000);

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

interface MembershipWorld {
  activities: MembershipActivities;
  changes: Array<RecordMembershipChangeInput & { at: number }>;
  messages: Array<SendMembershipMessageInput & { at: number }>;
}

function membershipWorld(): MembershipWorld {
  const changes: MembershipWorld['changes'] = [];
  const messages: MembershipWorld['messages'] = [];
  const activities: MembershipActivities = {
    async recordMembershipChange(input) {
      changes.push({ ...input, at: activityInfo().scheduledTimestampMs });
    },
    async sendMembershipMessage(input) {
      messages.push({ ...input, at: activityInfo().scheduledTimestampMs });
      return { messageIds: [input.step] };
    },
  };
  return { activities, changes, messages };
}

type Handle = WorkflowHandle<typeof membershipWorkflow>;

async function runMembership(
  overrides: Partial<MembershipSnapshot>,
  body: (ctx: { handle: Handle; world: MembershipWorld; now: number; membership: MembershipSnapshot }) => Promise<void>,
): Promise<void> {
  const now = await env.currentTimeMs();
  const membership: MembershipSnapshot = {
    membershipId: randomUUID(),
    contactId: 'c1',
    planName: 'Massage 5-pack',
    certificateNumber: '0123-4567-89ABC',
    visitsTotal: 5,
    validFrom: now,
    validUntil: now + 90 * DAY_MS,
    timeZone: 'America/New_York',
    policy: { ...DEFAULT_VISIT_POLICY },
    ...overrides,
  };
  const world = membershipWorld();
  const taskQueue = `memberships-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: workflowBundle(),
    activities: world.activities,
  });
  await worker.runUntil(async () => {
    const workflowId = `membership:${membership.membershipId}`;
    await env.client.workflow.start<typeof membershipWorkflow>('membershipWorkflow', {
      taskQueue,
      workflowId,
      args: [{ membership }],
    });
    const handle = env.client.workflow.getHandle<typeof membershipWorkflow>(workflowId);
    try {
      const firstRunId = (await handle.describe()).runId;
      await body({ handle, world, now, membership });
      // Save the first run (it continued as new) and the last (completed) for the replay test.
      const name = expect.getState().currentTestName ?? workflowId;
      const first = env.client.workflow.getHandle(workflowId, firstRunId);
      if ((await first.describe()).status.name !== 'RUNNING')
        await recordHistory('membership', `first run ${name}`, first);
      const last = await handle.describe();
      if (last.runId !== firstRunId && last.status.name === 'COMPLETED')
        await recordHistory('membership', `last run ${name}`, handle);
    } finally {
      const { status } = await handle.describe();
      if (status.name === 'RUNNING') await handle.terminate('test finished');
    }
  });
}

let version = 0;
function visit(
  appointmentId: string,
  startsAt: number,
  status: ServiceStatus = 'scheduled',
  stage: PipelineStage = 'Appointment Scheduled',
  cancelledAt: number | null = null,
): VisitSnapshot {
  version += 1;
  return {
    appointmentId,
    serviceName: 'Deep Tissue Massage',
    startsAt,
    endsAt: startsAt + HOUR_MS,
    timeZone: 'America/New_York',
    status,
    stage,
    revision: 1,
    cancelledAt,
    version,
  };
}

/** Polls the (latest run's) state until `check` holds; queries race with the workflow's progress. */
async function until(
  handle: Handle,
  check: (s: MembershipState) => boolean,
  timeoutMs = 30_000,
): Promise<MembershipState> {
  const deadline = Date.now() + timeoutMs;
  let last: MembershipState | undefined;
  for (;;) {
    try {
      last = await handle.query(membershipStateQuery);
      if (check(last)) return last;
    } catch {
      // between runs of a continue-as-new, a query may find no run to answer it for a moment
    }
    if (Date.now() > deadline) throw new Error(`state not reached; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/**
 * An update that reaches the Java time-skipping server while the run continues as new can be answered
 * "update … not found". A real server aborts such an update with a retryable error and the SDK retries
 * it onto the new run (temporalio/temporal#6485), so callers never notice; the test server does not
 * (temporalio/sdk-java#1538), so the test retries it the same way.
 */
async function updateAcrossHandOver<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send();
    } catch (error) {
      const handedOver = error instanceof WorkflowNotFoundError && /update .* not found/.test(error.message);
      if (!handedOver || attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const kinds = (world: MembershipWorld) => world.changes.map((c) => c.entry.kind);

describe('membership workflow', () => {
  it('purchase → book → Tomorrow → Today → visit done → Unscheduled → … → the last visit → Membership Expired', async () => {
    await runMembership({ visitsTotal: 2 }, async ({ handle, world, now }) => {
      let s = await until(handle, (x) => x.stage === 'Appointment Unscheduled');
      expect(s.counts.left).toBe(2);

      const first = now + 3 * DAY_MS;
      await handle.signal(visitChangedSignal, visit('v1', first));
      s = await until(handle, (x) => x.stage === 'Appointment Scheduled');
      expect(s.nextVisit?.appointmentId).toBe('v1');
      await handle.signal(visitChangedSignal, visit('v1', first, 'scheduled', 'Appointment Tomorrow'));
      await until(handle, (x) => x.stage === 'Appointment Tomorrow');
      await handle.signal(visitChangedSignal, visit('v1', first, 'scheduled', 'Appointment Today'));
      await until(handle, (x) => x.stage === 'Appointment Today');
      await handle.signal(visitChangedSignal, visit('v1', first, 'done', 'Paid Won'));
      s = await until(handle, (x) => x.counts.used === 1 && x.run === 2);
      expect(s.stage).toBe('Appointment Unscheduled');
      expect(s.counts.left).toBe(1);

      // A reschedule of the booked visit moves the card at once.
      const second = now + 10 * DAY_MS;
      await handle.signal(visitChangedSignal, visit('v2', second));
      await until(handle, (x) => x.stage === 'Appointment Scheduled');
      await handle.signal(visitChangedSignal, visit('v2', second + DAY_MS));
      s = await until(handle, (x) => x.nextVisit?.startsAt === second + DAY_MS);
      await handle.signal(visitChangedSignal, visit('v2', second + DAY_MS, 'done', 'Paid Won'));

      const final = await handle.result();
      expect(final.stage).toBe('Membership Expired');
      expect(final.expired).toBe('visits_used');
      expect(final.counts).toMatchObject({ used: 2, left: 0 });
      expect(world.messages.map((m) => m.event)).toEqual(['membershipPurchased', 'membershipExpired']);
      expect(kinds(world)).toEqual([
        'membership:purchased',
        'membership:visit_booked',
        'membership:stage',
        'membership:stage',
        'membership:stage',
        'membership:visit_used',
        'membership:stage',
        'membership:visit_booked',
        'membership:stage',
        'membership:visit_rescheduled',
        'membership:visit_used',
        'membership:expired',
        'membership:stage',
      ]);
      // Each stage entry names its move; the row values written with it are the latest (a quick
      // Tomorrow → Today can be written in one go), so the moves are read from the entries.
      expect(world.changes.filter((c) => c.entry.kind === 'membership:stage').map((c) => c.entry.data?.['to'])).toEqual(
        [
          'Appointment Scheduled',
          'Appointment Tomorrow',
          'Appointment Today',
          'Appointment Unscheduled',
          'Appointment Scheduled',
          'Membership Expired',
        ],
      );
      expect(world.changes.at(-1)).toMatchObject({ stage: 'Membership Expired', visitsUsed: 2, expired: true });
    });
  });

  it('validity ends with visits left → Membership Expired, after a reminder some days before; extending moves the timer', async () => {
    await runMembership({ visitsTotal: 5 }, async ({ handle, world, now, membership }) => {
      expect(membership.validUntil).toBe(now + 90 * DAY_MS);
      const extended = now + 120 * DAY_MS;
      const s = await handle.executeUpdate(extendValidityUpdate, {
        args: [{ validUntil: extended, actor: { kind: 'staff', name: 'Avery Chen' }, channel: 'admin' }],
      });
      expect(s.membership.validUntil).toBe(extended);

      // Skip to a day past the new end explicitly rather than leaving it to result()'s long poll,
      // which stalled the time-skipping server once on a machine busy with other test runs.
      await env.sleep(extended - now + DAY_MS);
      const final = await handle.result();
      expect(final.expired).toBe('validity_ended');
      expect(final.counts.left).toBe(5);
      expect(world.messages.map((m) => m.event)).toEqual([
        'membershipPurchased',
        'membershipExpiring',
        'membershipExpired',
      ]);
      const [, reminder, expiredMessage] = world.messages;
      expect(Math.abs(reminder!.at - (extended - 7 * DAY_MS))).toBeLessThan(60_000);
      expect(Math.abs(expiredMessage!.at - extended)).toBeLessThan(60_000);
      expect(kinds(world)).toContain('membership:validity');
    });
  });

  it('a validity change that would strand one of its own visits is refused by the workflow itself', async () => {
    await runMembership({}, async ({ handle, world, now }) => {
      // The visit reached the workflow (its signal) although the HTTP edge's database check ran before it.
      const visitAt = now + 30 * DAY_MS;
      await handle.signal(visitChangedSignal, visit('v-race', visitAt));
      await until(handle, (s) => s.visits.some((v) => v.appointmentId === 'v-race'));
      const actor = { kind: 'staff' as const, name: 'Avery Chen' };
      const refused = await handle
        .executeUpdate(extendValidityUpdate, { args: [{ validUntil: now + 20 * DAY_MS, actor, channel: 'admin' }] })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (refused as WorkflowUpdateFailedError).cause as ApplicationFailure;
      expect(cause.type).toBe(MEMBERSHIP_REFUSALS.visitOutsideValidity);
      expect(cause.message).toBe(
        `A visit is booked for ${new Date(visitAt).toISOString()}, after the new end; move or cancel it first.`,
      );
      expect(httpErrorForUpdate(refused, 'validUntil')).toMatchObject({
        status: 422,
        code: 'visit_outside_validity',
      });
      expect(kinds(world)).not.toContain('membership:validity');
      // A change that keeps the visit inside is fine.
      const s = await handle.executeUpdate(extendValidityUpdate, {
        args: [{ validUntil: visitAt + DAY_MS, actor, channel: 'admin' }],
      });
      expect(s.membership.validUntil).toBe(visitAt + DAY_MS);
    });
  });

  it('validity ends while a visit that started within it is still open → expires once the visit closes, counting it', async () => {
    await runMembership({ visitsTotal: 5 }, async ({ handle, world, now, membership }) => {
      const at = membership.validUntil - 2 * HOUR_MS;
      await handle.signal(visitChangedSignal, visit('last', at));
      await until(handle, (x) => x.stage === 'Appointment Scheduled');
      // An hour past the end, the visit is not closed yet (staff close it out the next morning).
      await env.sleep(membership.validUntil - now + HOUR_MS);
      const waiting = await until(handle, () => kinds(world).includes('membership:validity_wait'));
      expect(waiting.expired).toBeNull();
      expect(waiting.visits.map((v) => v.appointmentId)).toEqual(['last']);
      const note = world.changes.find((c) => c.entry.kind === 'membership:validity_wait')!;
      expect(note.entry.summary).toContain(
        `closes (at the latest ${new Date(membership.validUntil + VISIT_CLOSE_GRACE_MS).toISOString()})`,
      );
      expect(world.messages.map((m) => m.event)).not.toContain('membershipExpired');

      await handle.signal(visitChangedSignal, visit('last', at, 'done', 'Paid Won'));
      const final = await handle.result();
      expect(final.expired).toBe('validity_ended');
      expect(final.counts).toMatchObject({ used: 1, left: 4 });
      expect(kinds(world).filter((k) => k === 'membership:validity_wait')).toHaveLength(1);
      expect(kinds(world).slice(-4)).toEqual([
        'membership:visit_used',
        'membership:stage',
        'membership:expired',
        'membership:stage',
      ]);
      expect(world.messages.map((m) => m.event)).toEqual([
        'membershipPurchased',
        'membershipExpiring',
        'membershipExpired',
      ]);
    });
  });

  it('an open visit that never closes holds the expiry for the grace period only', async () => {
    await runMembership({ visitsTotal: 5 }, async ({ handle, now, membership }) => {
      const at = membership.validUntil - 2 * HOUR_MS;
      await handle.signal(visitChangedSignal, visit('forgotten', at));
      await until(handle, (x) => x.stage === 'Appointment Scheduled');
      await env.sleep(membership.validUntil + VISIT_CLOSE_GRACE_MS - now + HOUR_MS);
      const final = await handle.result();
      expect(final.expired).toBe('validity_ended');
      expect(final.counts).toMatchObject({ used: 0, left: 5 });
      expect(final.stage).toBe('Membership Expired');
    });
  });

  it('an in-policy cancel returns the visit; a late cancel and a no-show forfeit it, and the timeline says which', async () => {
    await runMembership({ visitsTotal: 2 }, async ({ handle, world, now }) => {
      const at = now + 5 * DAY_MS;
      await handle.signal(visitChangedSignal, visit('v1', at));
      await until(handle, (x) => x.stage === 'Appointment Scheduled');
      await handle.signal(visitChangedSignal, visit('v1', at, 'cancelled', 'Closed Lost', now + HOUR_MS));
      let s = await until(handle, (x) => x.closed.v1 !== undefined);
      expect(s.closed.v1).toBe('returned');
      expect(s.counts).toMatchObject({ used: 0, forfeited: 0, returned: 1, left: 2 });
      expect(s.stage).toBe('Appointment Unscheduled');

      await handle.signal(visitChangedSignal, visit('v2', at));
      await handle.signal(visitChangedSignal, visit('v2', at, 'no_show', 'Missed'));
      s = await until(handle, (x) => x.closed.v2 !== undefined);
      expect(s.closed.v2).toBe('forfeited');
      expect(s.counts).toMatchObject({ forfeited: 1, left: 1 });

      await handle.signal(visitChangedSignal, visit('v3', at));
      await handle.signal(visitChangedSignal, visit('v3', at, 'cancelled', 'Closed Lost', at - 2 * HOUR_MS));
      const final = await handle.result();
      expect(final.closed).toEqual({ v1: 'returned', v2: 'forfeited', v3: 'forfeited' });
      expect(final.expired).toBe('visits_used');
      const summaries = world.changes.map((c) => c.entry.summary);
      expect(summaries.some((t) => /Visit returned: .*cancelled in policy/.test(t))).toBe(true);
      expect(summaries.some((t) => /Visit forfeited: .*no-show/.test(t))).toBe(true);
      expect(summaries.some((t) => /Visit forfeited: .*late cancel/.test(t))).toBe(true);
    });
  });

  it('a no-show returns the visit when the plan does not forfeit no-shows', async () => {
    await runMembership(
      { visitsTotal: 1, policy: { ...DEFAULT_VISIT_POLICY, noShowForfeits: false } },
      async ({ handle, now }) => {
        await handle.signal(visitChangedSignal, visit('v1', now + DAY_MS));
        await handle.signal(visitChangedSignal, visit('v1', now + DAY_MS, 'no_show', 'Missed'));
        const s = await until(handle, (x) => x.closed.v1 !== undefined);
        expect(s.closed.v1).toBe('returned');
        expect(s.counts.left).toBe(1);
        expect(s.expired).toBeNull();
      },
    );
  });

  it('a signal or update sent during continue-as-new is not lost; a validity change answers once written', async () => {
    await runMembership({ visitsTotal: 20 }, async ({ handle, world, now }) => {
      const at = (i: number) => now + (i + 2) * DAY_MS;
      // A validity change answers only once its change is written, whichever run writes it.
      const answered: number[] = [];
      const extendTo = async (validUntil: number) => {
        const s = await updateAcrossHandOver(() =>
          handle.executeUpdate(extendValidityUpdate, {
            args: [{ validUntil, actor: { kind: 'staff', name: 'Avery Chen' }, channel: 'admin' }],
          }),
        );
        expect(s.membership.validUntil).toBe(validUntil);
        const write = world.changes.find((c) => c.entry.kind === 'membership:validity' && c.validUntil === validUntil);
        expect(write?.entry.data?.['to']).toBe(new Date(validUntil).toISOString());
        answered.push(validUntil);
      };
      for (let round = 0; round < 4; round += 1) {
        const closing = `close-${round}`;
        await handle.signal(visitChangedSignal, visit(closing, at(round)));
        await until(handle, (x) => x.visits.some((v) => v.appointmentId === closing));
        // The close makes the run hand over; the others race that hand-over.
        const burst = [
          handle.signal(visitChangedSignal, visit(closing, at(round), 'done', 'Paid Won')),
          handle.signal(visitChangedSignal, visit(`during-${round}-a`, at(round) + HOUR_MS)),
          handle.signal(visitChangedSignal, visit(`during-${round}-b`, at(round) + 2 * HOUR_MS)),
          updateAcrossHandOver(() =>
            handle.executeUpdate(syncVisitUpdate, { args: [visit(`during-${round}-u`, at(round) + 3 * HOUR_MS)] }),
          ),
          extendTo(now + (100 + round) * DAY_MS),
        ];
        await Promise.all(burst);
      }
      expect(answered).toEqual([0, 1, 2, 3].map((round) => now + (100 + round) * DAY_MS));
      // The last run holds every visit: none was lost in any of the hand-overs.
      const s = await until(handle, (x) => x.counts.used === 4 && x.visits.length === 12 && x.run >= 2);
      expect(s.visits.map((v) => v.appointmentId).sort()).toEqual(
        [0, 1, 2, 3].flatMap((r) => [`during-${r}-a`, `during-${r}-b`, `during-${r}-u`]).sort(),
      );
      // Every booking was recorded exactly once, in whichever run it landed (the last ones are written
      // just after the state has them).
      for (
        let i = 0;
        i < 100 && world.changes.filter((c) => c.entry.kind === 'membership:visit_booked').length < 16;
        i += 1
      ) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const booked = world.changes
        .filter((c) => c.entry.kind === 'membership:visit_booked')
        .map((c) => c.entry.appointmentId);
      expect(new Set(booked).size).toBe(booked.length);
      expect(booked).toHaveLength(16);
    });
  });

  it('a membership with 100 visits runs to the end with every run’s history kept small', async () => {
    await runMembership({ visitsTotal: 100 }, async ({ handle, now }) => {
      const first = await handle.describe();
      const runIds = [first.runId];
      const nextRun = async (current: string): Promise<string> => {
        for (;;) {
          const { runId } = await handle.describe();
          if (runId !== current) return runId;
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      for (let i = 0; i < 100; i += 1) {
        const id = `v${i}`;
        const at = now + DAY_MS + i * HOUR_MS;
        await handle.signal(visitChangedSignal, visit(id, at));
        await handle.signal(visitChangedSignal, visit(id, at, 'done', 'Paid Won'));
        // Each closed visit hands over to a new run (watched without queries, which load the server).
        if (i < 99) runIds.push(await nextRun(runIds.at(-1)!));
      }
      const final = await handle.result();
      expect(final.expired).toBe('visits_used');
      expect(final.counts.used).toBe(100);
      expect(final.run).toBe(100);

      // Walk the chain of runs from the first and measure each one's history.
      const lengths: number[] = [];
      let runId: string | undefined = first.runId;
      while (runId) {
        const history: Awaited<ReturnType<Handle['fetchHistory']>> = await env.client.workflow
          .getHandle(handle.workflowId, runId)
          .fetchHistory();
        const events = history.events ?? [];
        lengths.push(events.length);
        const last = events.at(-1);
        runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
      }
      expect(lengths).toHaveLength(final.run);
      expect(Math.max(...lengths)).toBeLessThan(80);
      console.log(
        `membership runs: ${lengths.length}, history events per run: max ${Math.max(...lengths)}, min ${Math.min(...lengths)}`,
      );
    });
  }, 600_000);
});

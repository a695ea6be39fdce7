/**
 * The appointment workflow under the time-skipping test server: days of lifecycle in seconds. Each
 * test books an appointment relative to the server's clock and checks, at simulated instants, which
 * stage changes and messages happened, and which did not.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { HOUR_MS, MINUTE_MS } from '../../src/domain/time';
import {
  type Actor,
  type AppointmentSnapshot,
  cancelSignal,
  cancelUpdate,
  markNoShowUpdate,
  rescheduleSignal,
  rescheduleUpdate,
  startServiceUpdate,
  stateQuery,
} from '../../workflows/appointment/messages';
import { type FakeWorld, fakeWorld, snapshotAt } from '../support/fake-activities';
import { localActivityTimes } from '../support/history-profile';
import { type AppointmentHandle, runAppointment } from '../support/run-appointment';
import { timeSkippingEnv } from '../support/temporal';

jest.setTimeout(120_000);

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const customer: Actor = { kind: 'customer', name: 'Sam Rivera' };
const frontDesk: Actor = { kind: 'staff', id: 'staff-1', name: 'Avery Chen' };
/**
 * A mark's timer fires at its instant of simulated time; the activity it schedules is stamped a little
 * later by real processing time (more on a loaded CI machine). Marks are hours apart, so seconds of
 * tolerance still tell each mark from its neighbours.
 */
const TOLERANCE_MS = 10_000;

function expectAt(actual: number | undefined, expected: number) {
  expect(actual).toBeDefined();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(TOLERANCE_MS);
}

type Handle = AppointmentHandle;

async function withAppointment(
  startsIn: number | ((now: number) => number),
  body: (handle: Handle, world: FakeWorld, bookedAt: number) => Promise<void>,
  overrides: Partial<AppointmentSnapshot> = {},
): Promise<FakeWorld> {
  const bookedAt = await env.currentTimeMs();
  const startsAt = typeof startsIn === 'function' ? startsIn(bookedAt) : bookedAt + startsIn;
  const snapshot = snapshotAt(startsAt, overrides);
  const world = fakeWorld(snapshot);
  await runAppointment(env, snapshot, world, { actor: customer, channel: 'web' }, (handle) =>
    body(handle, world, bookedAt),
  );
  return world;
}

const customerMessages = (world: FakeWorld) => world.messages().filter((m) => m.audience === 'customer');
const events = (world: FakeWorld) => world.messages().map((m) => `${m.audience}:${m.event}:r${m.revision}`);

describe('appointment workflow', () => {
  it('fires each mark at its exact simulated instant: 48 h, 12 h (with staff brief) and close-out 2 h after the end', async () => {
    await withAppointment(72 * HOUR_MS, async (handle, world, bookedAt) => {
      const startsAt = bookedAt + 72 * HOUR_MS;
      const final = await handle.result();

      expect(events(world)).toEqual([
        'customer:confirmation:r1',
        'customer:reminder48h:r1',
        'customer:reminder12h:r1',
        'staff:staffBrief:r1',
      ]);
      const at = (event: string) => world.messages().find((m) => m.event === event)?.at;
      expectAt(at('confirmation'), bookedAt);
      expectAt(at('reminder48h'), startsAt - 48 * HOUR_MS);
      expectAt(at('reminder12h'), startsAt - 12 * HOUR_MS);
      expectAt(at('staffBrief'), startsAt - 12 * HOUR_MS);

      const stages = world.calls.filter((c) => c.name === 'setStage');
      expect(stages.map((c) => c.input.stage)).toEqual(['Appointment Tomorrow', 'Appointment Today']);
      // Local activities (patch appointment-lean-history-v1): their instants are in the history.
      const stagedAt = localActivityTimes(await handle.fetchHistory(), 'setStage');
      expectAt(stagedAt[0], startsAt - 48 * HOUR_MS);
      expectAt(stagedAt[1], startsAt - 12 * HOUR_MS);

      const closeOut = world.calls.find((c) => c.name === 'applyStatusChange');
      expect(closeOut?.input).toMatchObject({ status: 'done', stage: 'Paid Won' });
      expectAt(
        localActivityTimes(await handle.fetchHistory(), 'applyStatusChange')[0],
        startsAt + 60 * MINUTE_MS + 2 * HOUR_MS,
      );

      expect(final.appointment).toMatchObject({ status: 'done', stage: 'Paid Won' });
      expect(final.marks.map((m) => m.state)).toEqual(['fired', 'fired', 'fired']);
      expect(final.closed).toBe(true);
    });
  });

  it('skips marks already past at booking and starts in the stage they imply', async () => {
    await withAppointment(30 * HOUR_MS, async (handle, world) => {
      const state = await handle.query(stateQuery);
      expect(state.marks.map((m) => `${m.kind}:${m.state}`)).toEqual([
        'tomorrow:skipped',
        'today:pending',
        'closeOut:pending',
      ]);
      await handle.result();
      expect(world.calls.filter((c) => c.name === 'setStage').map((c) => c.input.stage)).toEqual([
        'Appointment Tomorrow',
        'Appointment Today',
      ]);
      expect(customerMessages(world).map((m) => m.event)).toEqual(['confirmation', 'reminder12h']);
    });
  });

  it('reschedule before the 48 h mark: new marks, confirmation, nothing for the old time', async () => {
    await withAppointment(72 * HOUR_MS, async (handle, world, bookedAt) => {
      await env.sleep(HOUR_MS);
      const newStart = bookedAt + 96 * HOUR_MS;
      const state = await handle.executeUpdate(rescheduleUpdate, {
        args: [{ startsAt: newStart, actor: customer, channel: 'manage_link' }],
      });
      expect(state.appointment).toMatchObject({ startsAt: newStart, revision: 2, stage: 'Appointment Scheduled' });
      await handle.result();

      expect(events(world)).toEqual([
        'customer:confirmation:r1',
        'customer:rescheduled:r2',
        'customer:reminder48h:r2',
        'customer:reminder12h:r2',
        'staff:staffBrief:r2',
      ]);
      const at = (event: string) => world.messages().find((m) => m.event === event)?.at;
      expectAt(at('rescheduled'), bookedAt + HOUR_MS);
      expectAt(at('reminder48h'), newStart - 48 * HOUR_MS);
      expectAt(at('reminder12h'), newStart - 12 * HOUR_MS);
    });
  });

  it('reschedule between the 48 h and 12 h marks: the new 48 h mark is already past and is skipped', async () => {
    await withAppointment(72 * HOUR_MS, async (handle, world, bookedAt) => {
      await env.sleep(30 * HOUR_MS); // the 48 h mark (at +24 h) has fired
      const newStart = bookedAt + 60 * HOUR_MS;
      const state = await handle.executeUpdate(rescheduleUpdate, {
        args: [{ startsAt: newStart, actor: frontDesk, channel: 'phone', note: 'Client asked for earlier' }],
      });
      expect(state.appointment.stage).toBe('Appointment Tomorrow');
      expect(state.marks.map((m) => `${m.kind}:${m.state}`)).toEqual([
        'tomorrow:skipped',
        'today:pending',
        'closeOut:pending',
      ]);
      await handle.result();

      expect(events(world)).toEqual([
        'customer:confirmation:r1',
        'customer:reminder48h:r1',
        'customer:rescheduled:r2',
        'customer:reminder12h:r2',
        'staff:staffBrief:r2',
      ]);
      expectAt(world.messages().find((m) => m.event === 'reminder12h')?.at, newStart - 12 * HOUR_MS);
      const reschedule = world.calls.find((c) => c.name === 'applyReschedule');
      expect(reschedule?.input).toMatchObject({ channel: 'phone', note: 'Client asked for earlier', actor: frontDesk });
    });
  });

  it('reschedule after the 12 h mark: back to an earlier stage, and both new marks fire for the new time', async () => {
    await withAppointment(72 * HOUR_MS, async (handle, world, bookedAt) => {
      await env.sleep(62 * HOUR_MS); // both marks fired; stage Appointment Today
      const newStart = bookedAt + 120 * HOUR_MS;
      const state = await handle.executeUpdate(rescheduleUpdate, {
        args: [{ startsAt: newStart, actor: customer, channel: 'sms' }],
      });
      expect(state.appointment.stage).toBe('Appointment Scheduled');
      await handle.result();

      expect(events(world)).toEqual([
        'customer:confirmation:r1',
        'customer:reminder48h:r1',
        'customer:reminder12h:r1',
        'staff:staffBrief:r1',
        'customer:rescheduled:r2',
        'customer:reminder48h:r2',
        'customer:reminder12h:r2',
        'staff:staffBrief:r2',
      ]);
      const r2 = world.messages().filter((m) => m.revision === 2);
      expectAt(r2.find((m) => m.event === 'reminder48h')?.at, newStart - 48 * HOUR_MS);
      expectAt(r2.find((m) => m.event === 'reminder12h')?.at, newStart - 12 * HOUR_MS);
    });
  });

  it('rejects a reschedule into the past or onto a taken slot, with the reason, and changes nothing', async () => {
    await withAppointment(72 * HOUR_MS, async (handle, world, bookedAt) => {
      const past = handle.executeUpdate(rescheduleUpdate, {
        args: [{ startsAt: bookedAt - HOUR_MS, actor: customer, channel: 'web' }],
      });
      await expect(past).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      await expect(past).rejects.toMatchObject({ cause: { message: 'The new time is in the past.' } });

      const taken = bookedAt + 80 * HOUR_MS;
      world.takenStarts.add(taken);
      const onTaken = handle.executeUpdate(rescheduleUpdate, {
        args: [{ startsAt: taken, actor: customer, channel: 'web' }],
      });
      await expect(onTaken).rejects.toMatchObject({
        cause: { type: 'SlotTaken', message: 'That time is no longer available for this staff member.' },
      });

      const state = await handle.query(stateQuery);
      expect(state.appointment).toMatchObject({ revision: 1, startsAt: bookedAt + 72 * HOUR_MS, status: 'scheduled' });
      expect(world.messages().map((m) => m.event)).toEqual(['confirmation']);
      await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'test over', actor: customer, channel: 'web' }] });
      await handle.result();
    });
  });

  it('cancel just before the 48 h mark: Closed Lost, confirmation, never a reminder, then the rebook follow-up after 24 h', async () => {
    await withAppointment(72 * HOUR_MS, async (handle, world) => {
      await env.sleep(24 * HOUR_MS - MINUTE_MS);
      const cancelledAt = await env.currentTimeMs();
      const state = await handle.executeUpdate(cancelUpdate, {
        args: [{ reason: 'Feeling unwell', actor: customer, channel: 'manage_link' }],
      });
      expect(state.appointment).toMatchObject({ status: 'cancelled', stage: 'Closed Lost' });
      expect(state.rebookFollowUp).toBe('not_applicable');
      const final = await handle.result();

      expect(final.rebookFollowUp).toBe('sent');
      expect(customerMessages(world).map((m) => m.event)).toEqual(['confirmation', 'cancelled', 'rebookFollowUp']);
      expect(world.messages().some((m) => m.event.startsWith('reminder') || m.event === 'staffBrief')).toBe(false);
      expectAt(world.messages().find((m) => m.event === 'rebookFollowUp')?.at, cancelledAt + 24 * HOUR_MS);
      const followUp = world.calls.find(
        (c) => c.name === 'sendAppointmentMessages' && c.input.event === 'rebookFollowUp',
      );
      expect(followUp?.input.suggestSlots).toBe(3);
      expect(world.calls.find((c) => c.name === 'applyStatusChange')?.input).toMatchObject({
        channel: 'manage_link',
        reason: 'Feeling unwell',
      });
    });
  });

  it('cancel then rebook within the window: no follow-up', async () => {
    const world = await withAppointment(72 * HOUR_MS, async (handle, w) => {
      w.rebooked.value = true;
      await handle.executeUpdate(cancelUpdate, {
        args: [{ reason: 'Booked another day', actor: frontDesk, channel: 'phone' }],
      });
      const final = await handle.result();
      expect(final.rebookFollowUp).toBe('not_needed');
    });
    expect(customerMessages(world).map((m) => m.event)).toEqual(['confirmation', 'cancelled']);
    expect(world.calls.filter((c) => c.name === 'contactHasRebooked')).toHaveLength(1);
  });

  it('no-show: Missed, a reschedule prompt with suggested slots, a staff alert and a reach-out task', async () => {
    await withAppointment(72 * HOUR_MS, async (handle, world) => {
      const early = handle.executeUpdate(markNoShowUpdate, {
        args: [{ actor: { kind: 'technician', name: 'Jordan Patel' }, channel: 'phone' }],
      });
      await expect(early).rejects.toMatchObject({
        cause: { message: 'The appointment has not started yet, so it cannot be a no-show.' },
      });

      await env.sleep(72 * HOUR_MS + 15 * MINUTE_MS);
      const state = await handle.executeUpdate(markNoShowUpdate, {
        args: [
          { note: 'No answer at the door', actor: { kind: 'technician', name: 'Jordan Patel' }, channel: 'phone' },
        ],
      });
      expect(state.appointment).toMatchObject({ status: 'no_show', stage: 'Missed' });
      await handle.result();

      expect(events(world).slice(-2)).toEqual(['customer:noShowPrompt:r1', 'staff:staffNoShow:r1']);
      expect(world.calls.find((c) => c.input.event === 'noShowPrompt')?.input.suggestSlots).toBe(3);
      expect(world.calls.find((c) => c.name === 'createTask')?.input).toMatchObject({
        kind: 'reach_out',
        assigneeStaffId: 's1',
      });
      expect(world.calls.some((c) => c.name === 'applyStatusChange' && c.input.status === 'done')).toBe(false);
    });
  });

  it('start service, then close-out completes it', async () => {
    await withAppointment(13 * HOUR_MS, async (handle, world) => {
      await env.sleep(13 * HOUR_MS + 5 * MINUTE_MS);
      const state = await handle.executeUpdate(startServiceUpdate, {
        args: [{ actor: frontDesk, channel: 'in_person' }],
      });
      expect(state.appointment.status).toBe('in_progress');
      const final = await handle.result();
      expect(final.appointment).toMatchObject({ status: 'done', stage: 'Paid Won' });
      expect(world.calls.filter((c) => c.name === 'applyStatusChange').map((c) => c.input.status)).toEqual([
        'in_progress',
        'done',
      ]);
    });
  });

  it('marks that cross a DST change are absolute durations (America/New_York spring forward)', async () => {
    // The shared test server's clock moves on between tests, so find the next spring-forward after it
    // and book 09:00 local the day after (e.g. 2027-03-15 09:00 EDT, whose 48 h mark is Saturday 08:00 EST).
    const zone = 'America/New_York';
    let day = DateTime.fromMillis((await env.currentTimeMs()) + 7 * 24 * HOUR_MS, { zone }).startOf('day');
    while (!(day.offset === -300 && day.plus({ days: 1 }).offset === -240)) day = day.plus({ days: 1 });
    const start = day.plus({ days: 1 }).set({ hour: 9 }); // `day` is the Sunday of the change; this is Monday
    expect(start.offset).toBe(-240);
    await withAppointment(
      () => start.toMillis(),
      async (handle, world) => {
        await handle.result();
        const at = (event: string) => world.messages().find((m) => m.event === event)?.at;
        expectAt(at('reminder48h'), start.toMillis() - 48 * HOUR_MS);
        expectAt(at('reminder12h'), start.toMillis() - 12 * HOUR_MS);
        // 48 h before 09:00 EDT is 08:00 EST two days earlier: one wall-clock hour moved, not the instant.
        const reminderLocal = DateTime.fromMillis(start.toMillis() - 48 * HOUR_MS, { zone });
        expect(reminderLocal.toFormat('ccc HH:mm ZZZZ')).toBe('Sat 08:00 EST');
        expect(DateTime.fromMillis(start.toMillis() - 12 * HOUR_MS, { zone }).toFormat('ccc HH:mm ZZZZ')).toBe(
          'Sun 21:00 EDT',
        );
      },
      { timeZone: zone },
    );
  });

  it('signal forms from webhooks: a cancel applies; a refused one is recorded on the timeline, not lost', async () => {
    await withAppointment(72 * HOUR_MS, async (handle, world, bookedAt) => {
      const taken = bookedAt + 90 * HOUR_MS;
      world.takenStarts.add(taken);
      const calendly: Actor = { kind: 'integration', name: 'Calendly' };
      await handle.signal(rescheduleSignal, { startsAt: taken, actor: calendly, channel: 'integration:calendly' });
      await handle.signal(cancelSignal, {
        reason: 'Cancelled in Calendly',
        actor: calendly,
        channel: 'integration:calendly',
      });
      await handle.signal(cancelSignal, {
        reason: 'Duplicate delivery',
        actor: calendly,
        channel: 'integration:calendly',
      });
      const final = await handle.result();

      expect(final.appointment.status).toBe('cancelled');
      const refusals = world.calls.filter((c) => c.name === 'recordTimeline').map((c) => String(c.input.summary));
      expect(refusals).toEqual([
        'reschedule request refused: That time is no longer available for this staff member.',
        'cancel request refused: This appointment is cancelled and cannot be cancelled.',
      ]);
      expect(world.calls.filter((c) => c.name === 'applyStatusChange')).toHaveLength(1);
    });
  });
  it('staff reschedule with reminders off: no reminders for the new time; stages and the staff brief still happen', async () => {
    await withAppointment(72 * HOUR_MS, async (handle, world, bookedAt) => {
      await env.sleep(HOUR_MS);
      const newStart = bookedAt + 96 * HOUR_MS;
      const state = await handle.executeUpdate(rescheduleUpdate, {
        args: [{ startsAt: newStart, reminders: false, actor: frontDesk, channel: 'phone' }],
      });
      expect(state.reminders).toBe(false);
      const final = await handle.result();

      expect(events(world)).toEqual(['customer:confirmation:r1', 'customer:rescheduled:r2', 'staff:staffBrief:r2']);
      const stages = world.calls.filter((c) => c.name === 'setStage');
      expect(stages.map((c) => c.input.stage)).toEqual(['Appointment Tomorrow', 'Appointment Today']);
      const stagedAt = localActivityTimes(await handle.fetchHistory(), 'setStage');
      expectAt(stagedAt[0], newStart - 48 * HOUR_MS);
      expectAt(stagedAt[1], newStart - 12 * HOUR_MS);
      expect(final.marks.map((m) => m.state)).toEqual(['fired', 'fired', 'fired']);
    });
  });

  it('staff reschedule with an edited message and a public note: the notification activity gets the text', async () => {
    const message = {
      email: { subject: 'Your massage moved to Friday', body: 'Hi Sam,\n\nSee you Friday.\n\nManage: {manage-link}' },
      sms: 'Harbor: your massage moved to Friday 3 PM. {manage-link}',
    };
    await withAppointment(72 * HOUR_MS, async (handle, world, bookedAt) => {
      await env.sleep(HOUR_MS);
      const newStart = bookedAt + 96 * HOUR_MS;
      const state = await handle.executeUpdate(rescheduleUpdate, {
        args: [
          {
            startsAt: newStart,
            note: 'Customer called',
            publicNote: 'Use the side door.',
            message,
            actor: frontDesk,
            channel: 'admin',
          },
        ],
      });
      expect(state.reminders).toBe(true);
      await handle.result();

      const sends = world.calls.filter((c) => c.name === 'sendAppointmentMessages');
      const rescheduled = sends.find((c) => c.input.event === 'rescheduled');
      expect(rescheduled?.input).toMatchObject({ edited: message, publicNote: 'Use the side door.', revision: 2 });
      // Only the reschedule message carries the edited text; reminders for the new time still go, as templates.
      expect(sends.filter((c) => c.input.edited !== undefined)).toHaveLength(1);
      expect(events(world)).toEqual([
        'customer:confirmation:r1',
        'customer:rescheduled:r2',
        'customer:reminder48h:r2',
        'customer:reminder12h:r2',
        'staff:staffBrief:r2',
      ]);
    });
  });

  it('refuses an edited reschedule message without text, changing nothing', async () => {
    await withAppointment(72 * HOUR_MS, async (handle, world, bookedAt) => {
      const refused = handle.executeUpdate(rescheduleUpdate, {
        args: [
          {
            startsAt: bookedAt + 96 * HOUR_MS,
            message: { email: { subject: 'Moved', body: '  ' } },
            actor: frontDesk,
            channel: 'admin',
          },
        ],
      });
      await expect(refused).rejects.toMatchObject({
        cause: { message: 'message.email needs a subject and a body.' },
      });
      expect(world.calls.some((c) => c.name === 'applyReschedule')).toBe(false);
    });
  });
});

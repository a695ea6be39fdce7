/**
 * An in-memory stand-in for the activities, for time-skipping workflow tests: it keeps the appointment
 * as the database would (revision, status, stage; a set of taken start times stands in for the
 * exclusion constraint) and records every call with the simulated instant it was scheduled at. It
 * implements exactly the activities the appointment workflow proxies (`AppointmentActivities`).
 */
import { ApplicationFailure, activityInfo } from '@temporalio/activity';
import { messageBatch } from '../../activities/message-batch';
import { computeMarks, stageAt } from '../../src/domain/marks';
import { DEFAULT_LIFECYCLE_POLICY } from '../../src/domain/lifecycle-policy';
import { MINUTE_MS } from '../../src/domain/time';
import type { AppointmentActivities } from '../../workflows/appointment/activities';
import { type AppointmentSnapshot, REFUSALS } from '../../workflows/appointment/messages';

type Activities = AppointmentActivities;

export interface Call {
  name: keyof Activities;
  at: number;
  input: Record<string, unknown>;
}

export interface FakeWorld {
  activities: Activities;
  calls: Call[];
  appointment: () => AppointmentSnapshot;
  /** Start times (epoch ms) the "database" refuses as taken. */
  takenStarts: Set<number>;
  rebooked: { value: boolean };
  /** Outcomes of successive charge attempts; 'succeeded' once the list runs out. */
  chargeOutcomes: Array<'succeeded' | 'declined' | 'requires_action' | 'no_card'>;
  /** How long (real milliseconds) each charge takes to answer: a signal can arrive meanwhile. */
  chargeDelayMs: { value: number };
  /** How many charge calls accept the payment and then fail before answering (a crash after Stripe said yes). */
  chargeCrashesAfterAccept: { value: number };
  /** Distinct payments the fake gateway made. */
  payments: Set<string>;
  /** The amount each payment charged (minor units): the balance, after a deposit. */
  charged: Map<string, number>;
  /** Deposit refunds by idempotency key (minor units). */
  refunds: Map<string, number>;
  /** A membership visit (or a free service): the invoice opens with a zero total. */
  zeroInvoice: { value: boolean };
  messages: () => Array<{ event: string; audience: string; revision: number; at: number }>;
  /** Events whose message activity throws what the function returns (a render error, an outage). */
  failingMessages: Map<string, () => Error>;
  /** Events whose message activity takes this long (real milliseconds) to answer. */
  slowMessages: Map<string, number>;
}

export function snapshotAt(startsAt: number, overrides: Partial<AppointmentSnapshot> = {}): AppointmentSnapshot {
  return {
    appointmentId: 'a1',
    contactId: 'c1',
    staffId: 's1',
    serviceId: 'svc1',
    serviceName: 'Deep Tissue Massage',
    startsAt,
    endsAt: startsAt + 60 * MINUTE_MS,
    timeZone: 'America/New_York',
    status: 'scheduled',
    stage: 'Appointment Scheduled',
    revision: 1,
    policy: { ...DEFAULT_LIFECYCLE_POLICY },
    ...overrides,
  };
}

export function fakeWorld(initial: AppointmentSnapshot): FakeWorld {
  let current = { ...initial };
  const calls: Call[] = [];
  const takenStarts = new Set<number>();
  const rebooked = { value: false };
  const chargeOutcomes: FakeWorld['chargeOutcomes'] = [];
  const chargeCrashesAfterAccept = { value: 0 };
  const chargeDelayMs = { value: 0 };
  const payments = new Set<string>();
  /** Deposit refunds by idempotency key (minor units). */
  const refunds = new Map<string, number>();
  const charged = new Map<string, number>();
  const zeroInvoice = { value: false };
  const charges = new Map<string, Awaited<ReturnType<Activities['chargeInvoice']>>>();
  let invoiceTotal = 0;
  const failingMessages = new Map<string, () => Error>();
  const slowMessages = new Map<string, number>();
  // `at`: the simulated instant for an activity; a local activity's info carries the worker's clock
  // instead (tests read those instants from the history: history-profile.ts `localActivityTimes`).
  const record = (name: keyof Activities, input: object) =>
    calls.push({ name, at: activityInfo().scheduledTimestampMs, input: input as Record<string, unknown> });

  const activities: Activities = {
    async applyReschedule(input) {
      record('applyReschedule', input);
      if (takenStarts.has(input.startsAt)) {
        throw ApplicationFailure.create({
          type: REFUSALS.slotTaken,
          message: 'That time is no longer available for this staff member.',
          nonRetryable: true,
        });
      }
      if (input.expectedRevision === current.revision) {
        const duration = current.endsAt - current.startsAt;
        const next = {
          ...current,
          startsAt: input.startsAt,
          endsAt: input.startsAt + duration,
          revision: current.revision + 1,
        };
        next.stage = stageAt(
          computeMarks({ startsAt: next.startsAt, endsAt: next.endsAt, timeZone: next.timeZone, policy: next.policy }),
          input.now,
        );
        if (input.staffId) next.staffId = input.staffId;
        current = next;
      }
      return { ...current };
    },
    async applyStatusChange(input) {
      record('applyStatusChange', input);
      current = { ...current, status: input.status, stage: input.stage };
      return { ...current };
    },
    async setStage(input) {
      record('setStage', input);
      if (input.revision === current.revision) current = { ...current, stage: input.stage };
      return { ...current };
    },
    async recordTimeline(input) {
      record('recordTimeline', input);
    },
    async contactHasRebooked(input) {
      record('contactHasRebooked', input);
      return rebooked.value;
    },
    async contactBookedAgain(input) {
      record('contactBookedAgain', input);
      return rebooked.value;
    },
    async createTask(input) {
      record('createTask', input);
      return { taskId: `task-${input.kind}` };
    },
    async completeDeliverTask(input) {
      record('completeDeliverTask', input);
      current = { ...current, status: 'done' };
      invoiceTotal = zeroInvoice.value ? 0 : Math.round((input.minutes / 60) * 9000 * 1.08);
      return {
        appointment: { ...current },
        invoice: {
          invoiceId: 'inv-1',
          number: 1001,
          currency: 'USD',
          subtotalMinor: 0,
          taxMinor: 0,
          totalMinor: invoiceTotal,
        },
      };
    },
    async confirmCharge(input) {
      record('confirmCharge', input);
      invoiceTotal = input.amountMinor ?? invoiceTotal;
      return {
        invoiceId: 'inv-1',
        number: 1001,
        currency: 'USD',
        subtotalMinor: 0,
        taxMinor: 0,
        totalMinor: invoiceTotal,
      };
    },
    async chargeInvoice(input) {
      record('chargeInvoice', input);
      // Like the real activity: an attempt already made answers with its recorded outcome.
      const known = charges.get(input.idempotencyKey);
      if (known) return known;
      // What the ledger still owes: the total less the deposit (less what was refunded of it).
      const depositLeft = (current.deposit?.amountMinor ?? 0) - [...refunds.values()].reduce((a, b) => a + b, 0);
      const owed = Math.max(0, invoiceTotal - depositLeft);
      if (owed === 0) {
        // Like the real activity: nothing to charge, the invoice is settled without the gateway.
        return { status: 'succeeded', paymentId: null, declineCode: null, message: null, gateway: 'simulated' };
      }
      if (chargeDelayMs.value > 0) await new Promise((resolve) => setTimeout(resolve, chargeDelayMs.value));
      const next = chargeOutcomes.shift() ?? 'succeeded';
      const status = next === 'no_card' ? 'declined' : next;
      const outcome = {
        status,
        paymentId: next === 'no_card' ? null : `pi_${input.attempt}`,
        declineCode: next === 'no_card' ? 'no_saved_card' : status === 'declined' ? 'insufficient_funds' : null,
        message:
          next === 'no_card'
            ? 'There is no card saved for this customer.'
            : status === 'succeeded'
              ? null
              : 'Your card has insufficient funds.',
        gateway: 'simulated' as const,
      };
      charges.set(input.idempotencyKey, outcome);
      if (outcome.paymentId) payments.add(outcome.paymentId);
      if (outcome.paymentId && status === 'succeeded') charged.set(outcome.paymentId, owed);
      if (chargeCrashesAfterAccept.value > 0) {
        chargeCrashesAfterAccept.value -= 1;
        throw new Error('worker crashed after the gateway accepted the charge');
      }
      return outcome;
    },
    async openFeeInvoice(input) {
      record('openFeeInvoice', input);
      invoiceTotal = input.amountMinor;
      return {
        invoiceId: 'inv-1',
        number: 1001,
        currency: 'USD',
        subtotalMinor: input.amountMinor,
        taxMinor: 0,
        totalMinor: input.amountMinor,
      };
    },
    async settleDeposit(input) {
      record('settleDeposit', input);
      // Like the real activity: a key refunds once; the gateway keeps what it refunded.
      const deposit = current.deposit?.amountMinor ?? 0;
      const keptMinor = Math.min(deposit, input.keepMinor);
      if (!refunds.has(input.idempotencyKey)) refunds.set(input.idempotencyKey, deposit - keptMinor);
      return { refundedMinor: refunds.get(input.idempotencyKey)!, keptMinor };
    },
    async markInvoiceUncollectible(input) {
      record('markInvoiceUncollectible', input);
      return { status: 'uncollectible' };
    },
    async sendAppointmentMessages(input) {
      record('sendAppointmentMessages', input);
      const delay = slowMessages.get(input.event);
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      const failure = failingMessages.get(input.event);
      if (failure) throw failure();
      return { messageIds: [`${input.step}:${input.audience}`] };
    },
    async sendAppointmentMessageBatch(input) {
      record('sendAppointmentMessageBatch', input);
      // The real batch, over the (possibly replaced) single send.
      return messageBatch((message) => activities.sendAppointmentMessages(message))(input);
    },
    async recordMessageFailure(input) {
      record('recordMessageFailure', input);
      return { messageIds: [] };
    },
    async alertStuckStep(input) {
      record('alertStuckStep', input);
    },
  };

  return {
    activities,
    calls,
    appointment: () => current,
    takenStarts,
    rebooked,
    chargeOutcomes,
    chargeCrashesAfterAccept,
    chargeDelayMs,
    payments,
    charged,
    refunds,
    zeroInvoice,
    failingMessages,
    slowMessages,
    messages: () =>
      calls
        .filter((c) => c.name === 'sendAppointmentMessages')
        .map((c) => ({
          event: String(c.input.event),
          audience: String(c.input.audience),
          revision: Number(c.input.revision),
          at: c.at,
        })),
  };
}

/**
 * Billing (patch appointment-billing-v1): the deliver task opened at booking, the invoice opened when
 * staff complete it, and the payment — a charge task first under the manual policy, then the saved card
 * charged off-session, declines following the policy's retry days, then a staff follow-up.
 */
import { condition, sleep, workflowInfo } from '@temporalio/workflow';
import { DEFAULT_LIFECYCLE_POLICY } from '../../src/domain/lifecycle-policy-defaults';
import { DAY_MS, HOUR_MS } from '../../src/domain/durations';
import { data, persistently } from './activities';
import { type CompleteTaskRequest, PATCHES } from './messages';
import type { Outbox } from './outbox';
import type { AppointmentModel } from './state';

/** Whether this appointment is billed (patch appointment-billing-v1; older workflows keep the old close-out). */
export function billingEnabled(model: AppointmentModel): boolean {
  return model.patched(PATCHES.billing) && model.appointment.billing !== undefined;
}

/** Opens the deliver-service task at booking, when billing is on for this appointment. */
export async function openDeliverTask(model: AppointmentModel): Promise<void> {
  const { appointment } = model;
  const { taskId } = await persistently(appointment.appointmentId, 'deliver task', () =>
    model.steps.createTask({
      appointmentId: appointment.appointmentId,
      kind: 'deliver_service',
      title: `Deliver ${appointment.serviceName}`,
      assigneeStaffId: appointment.staffId,
      dueAt: appointment.startsAt,
      idempotencyKey: `${workflowInfo().workflowId}:task:deliver`,
    }),
  );
  model.deliverTask = { taskId, status: 'open', overdue: false };
}

/** The deliver task is completed: billable minutes stored, service done, invoice opened. */
export async function completeDeliver(model: AppointmentModel, request: CompleteTaskRequest): Promise<void> {
  const deliverTask = model.deliverTask!;
  const done = await data.completeDeliverTask({
    appointmentId: model.appointment.appointmentId,
    taskId: deliverTask.taskId,
    minutes: request.form.minutes ?? 0,
    ...(request.form.notes ? { notes: request.form.notes } : {}),
    ...(request.form.report ? { report: request.form.report } : {}),
    actor: request.actor,
    channel: request.channel,
  });
  model.appointment = done.appointment;
  model.deliverTask = { ...deliverTask, status: 'done', overdue: false };
  const { invoiceId, number, currency, totalMinor } = done.invoice;
  model.billing = {
    invoice: { invoiceId, number, currency, totalMinor },
    payment: model.appointment.billing?.policy === 'manual' && totalMinor !== 0 ? 'awaiting_confirmation' : 'charging',
    attempts: 0,
  };
}

/** The charge task is completed, optionally with an adjusted amount: the charge may go ahead. */
export async function confirmCharge(model: AppointmentModel, request: CompleteTaskRequest): Promise<void> {
  const invoice = await data.confirmCharge({
    appointmentId: model.appointment.appointmentId,
    taskId: model.chargeTask!.taskId,
    ...(request.form.amountMinor !== undefined ? { amountMinor: request.form.amountMinor } : {}),
    actor: request.actor,
    channel: request.channel,
  });
  model.chargeTask = { ...model.chargeTask!, status: 'done', overdue: false };
  const billing = model.billing!;
  model.billing = { ...billing, invoice: { ...billing.invoice!, totalMinor: invoice.totalMinor }, payment: 'charging' };
}

/** How long after the last dunning attempt the workflow still takes a card update (patch appointment-pay-links-v1). */
export const LATE_CARD_WINDOW_MS = 30 * DAY_MS;

/** Manual policy: waits for staff to confirm the charge (charge task and email to the billing owner). */
async function awaitChargeConfirmation(model: AppointmentModel, outbox: Outbox, payLinks: boolean): Promise<void> {
  model.billing = { ...model.billing!, payment: 'awaiting_confirmation' };
  const { appointment } = model;
  const { taskId } = await persistently(appointment.appointmentId, 'charge task', () =>
    model.steps.createTask({
      appointmentId: appointment.appointmentId,
      kind: 'charge_customer',
      // There may be no saved card: then confirming sends the customer a payment link.
      title: payLinks
        ? `Charge ${appointment.serviceName}: the saved card, or a payment link if there is none`
        : `Charge ${appointment.serviceName} to the saved card`,
      assigneeStaffId: appointment.staffId,
      assignToBillingOwner: true,
      dueAt: Date.now() + DAY_MS,
      idempotencyKey: `${workflowInfo().workflowId}:task:charge`,
    }),
  );
  model.chargeTask = { taskId, status: 'open', overdue: false };
  outbox.enqueue({
    audience: 'staff',
    event: 'staffChargeTask',
    step: 'charge-task',
    onlyIfCurrent: false,
    assignee: 'billing_owner',
  });
  await condition(() => model.chargeTask?.status === 'done');
}

/** Paid: stage Paid Won, receipt, and the feedback request after the policy's delay. */
async function settle(model: AppointmentModel, outbox: Outbox): Promise<void> {
  model.billing = { ...model.billing!, payment: 'paid' };
  model.appointment = await persistently(model.appointment.appointmentId, 'stage paid', () =>
    model.steps.setStage({
      appointmentId: model.appointment.appointmentId,
      stage: 'Paid Won',
      revision: model.appointment.revision,
      reason: 'paid',
      idempotencyKey: `${workflowInfo().workflowId}:stage:paid`,
    }),
  );
  model.publish();
  outbox.enqueue({ audience: 'customer', event: 'receipt', step: 'receipt', onlyIfCurrent: false });
  await sleep((model.appointment.policy.feedbackDelayHours ?? DEFAULT_LIFECYCLE_POLICY.feedbackDelayHours) * HOUR_MS);
  outbox.enqueue({ audience: 'customer', event: 'feedbackRequest', step: 'feedback', onlyIfCurrent: false });
}

/** The last attempt declined: a staff follow-up task and an email to the billing owner. */
async function giveUp(model: AppointmentModel, outbox: Outbox, attempt: number, payLinks: boolean): Promise<void> {
  model.billing = { ...model.billing!, payment: 'failed' };
  if (payLinks) {
    // Written off as uncollectible; a later card update or payment still settles it.
    await persistently(model.appointment.appointmentId, 'invoice uncollectible', () =>
      data.markInvoiceUncollectible({
        appointmentId: model.appointment.appointmentId,
        attempts: attempt,
        idempotencyKey: `${workflowInfo().workflowId}:invoice:uncollectible`,
      }),
    );
  }
  await persistently(model.appointment.appointmentId, 'payment follow-up task', () =>
    data.createTask({
      appointmentId: model.appointment.appointmentId,
      kind: 'payment_follow_up',
      title: payLinks
        ? `Payment failed after ${attempt} attempts: invoice uncollectible, contact the customer`
        : `Payment failed after ${attempt} attempts: contact the customer`,
      assigneeStaffId: model.appointment.staffId,
      assignToBillingOwner: true,
      dueAt: Date.now() + DAY_MS,
      idempotencyKey: `${workflowInfo().workflowId}:task:payment-follow-up`,
    }),
  );
  outbox.enqueue({
    audience: 'staff',
    event: 'staffPaymentFailed',
    step: 'payment-failed',
    onlyIfCurrent: false,
    assignee: 'billing_owner',
  });
  model.publish();
}

/** No card the gateway can charge without the customer: a pay link, a staff task, no decline (once each). */
async function sendPayLink(
  model: AppointmentModel,
  outbox: Outbox,
  attempt: number,
  title = `No card on file: payment link sent for ${model.appointment.serviceName}`,
): Promise<void> {
  model.billing = { ...model.billing!, payment: 'awaiting_payment' };
  if (model.payLinkSent) return;
  model.payLinkSent = true;
  await persistently(model.appointment.appointmentId, 'pay link task', () =>
    data.createTask({
      appointmentId: model.appointment.appointmentId,
      kind: 'payment_follow_up',
      title,
      assigneeStaffId: model.appointment.staffId,
      assignToBillingOwner: true,
      dueAt: Date.now() + 3 * DAY_MS,
      idempotencyKey: `${workflowInfo().workflowId}:task:pay-link`,
    }),
  );
  outbox.enqueue({ audience: 'customer', event: 'paymentLink', step: `payment-link-${attempt}`, onlyIfCurrent: false });
}

/** After the last attempt: a card update (or a payment) within the window is charged / settled at once. */
async function awaitLateCard(
  model: AppointmentModel,
  outbox: Outbox,
  attempt: number,
  paid: (model: AppointmentModel, outbox: Outbox) => Promise<void> = settle,
): Promise<void> {
  const until = Date.now() + LATE_CARD_WINDOW_MS;
  for (let late = attempt + 1; ; late += 1) {
    if (!(await condition(() => model.cardUpdated, until - Date.now()))) return;
    model.cardUpdated = false;
    const outcome = await charge(model, late, model.fee ? 'fee-charge' : 'charge');
    if (outcome.status === 'succeeded') return paid(model, outbox);
    model.billing = { ...model.billing!, payment: 'failed' };
  }
}

function charge(model: AppointmentModel, attempt: number, step: 'charge' | 'fee-charge' = 'charge') {
  model.billing = { ...model.billing!, payment: 'charging', attempts: attempt };
  return persistently(model.appointment.appointmentId, `${step} ${attempt}`, () =>
    data.chargeInvoice({
      appointmentId: model.appointment.appointmentId,
      attempt,
      idempotencyKey: `${workflowInfo().workflowId}:${step}:${attempt}`,
    }),
  );
}

/** Whether the deposit pays the whole invoice (asked only for an appointment with a deposit). */
function coveredByDeposit(model: AppointmentModel): boolean {
  const deposit = model.appointment.deposit;
  const invoice = model.billing?.invoice;
  return (
    deposit !== undefined &&
    invoice !== null &&
    invoice !== undefined &&
    deposit.amountMinor >= invoice.totalMinor &&
    model.patched(PATCHES.deposits)
  );
}

/** Manual policy: a charge task first. Then charge; declines follow the retry schedule, then a staff task. */
export async function collectPayment(model: AppointmentModel, outbox: Outbox): Promise<void> {
  if (!model.billing) return;
  // Nothing to charge (a membership visit, a free service): settled like the automatic path does, no
  // charge task for a zero invoice (patch appointment-zero-invoice-v1).
  const zeroTotal = model.billing.invoice?.totalMinor === 0 && model.patched(PATCHES.zeroInvoice);
  // Covered by the deposit paid at booking: nothing to confirm (patch appointment-deposits-v1).
  const covered = coveredByDeposit(model);
  const payLinks = model.patched(PATCHES.payLinks);
  if (model.appointment.billing?.policy === 'manual' && !zeroTotal && !covered) {
    await awaitChargeConfirmation(model, outbox, payLinks);
  }
  const retryDays = model.appointment.policy.paymentRetryDays ?? DEFAULT_LIFECYCLE_POLICY.paymentRetryDays;
  for (let attempt = 1; ; attempt += 1) {
    // A card that arrives while this attempt runs must retry at once: forget only the ones before it.
    if (payLinks) model.cardUpdated = false;
    const outcome = await charge(model, attempt);
    if (outcome.status === 'succeeded') return settle(model, outbox);
    const noCard = payLinks && outcome.status === 'declined' && outcome.declineCode === 'no_saved_card';
    model.billing = {
      ...model.billing,
      payment: outcome.status === 'requires_action' ? 'requires_action' : 'declined',
    };
    const waitDays = retryDays[attempt - 1];
    if (waitDays === undefined) {
      await giveUp(model, outbox, attempt, payLinks);
      if (payLinks) await awaitLateCard(model, outbox, attempt);
      return;
    }
    const nextAttemptAt = Date.now() + waitDays * DAY_MS;
    if (noCard) {
      await sendPayLink(model, outbox, attempt);
    } else {
      outbox.enqueue({
        audience: 'customer',
        event: outcome.status === 'requires_action' ? 'paymentActionRequired' : 'paymentDeclined',
        step: `payment-attempt-${attempt}`,
        onlyIfCurrent: false,
        nextAttemptAt,
      });
    }
    model.publish();
    // A new card (manage page or Stripe webhook) or a payment retries at once; otherwise on schedule.
    if (!payLinks) model.cardUpdated = false;
    await condition(() => model.cardUpdated, nextAttemptAt - Date.now());
  }
}

/**
 * A cancelled or missed visit's deposit (patch appointment-deposits-v1): refunded through the gateway
 * (idempotency key `<workflow>:deposit:refund`), less what a late-cancel or no-show fee keeps; the fee
 * then charges only what the deposit does not cover.
 */
export async function settleDeposit(model: AppointmentModel): Promise<void> {
  const deposit = model.deposit!;
  await persistently(model.appointment.appointmentId, 'deposit', () =>
    data.settleDeposit({
      appointmentId: model.appointment.appointmentId,
      keepMinor: deposit.keptMinor,
      reason:
        deposit.keptMinor > 0
          ? 'deposit kept against the cancellation fee; the rest refunded'
          : 'deposit refunded: the visit was cancelled without a fee',
      idempotencyKey: `${workflowInfo().workflowId}:deposit:refund`,
    }),
  );
  model.deposit = { ...deposit, settled: true };
  model.publish();
}

/** The fee is paid: a receipt; the appointment keeps its stage (Closed Lost, Missed) and asks no feedback. */
function settleFee(model: AppointmentModel, outbox: Outbox): Promise<void> {
  model.billing = { ...model.billing!, payment: 'paid' };
  model.publish();
  outbox.enqueue({ audience: 'customer', event: 'receipt', step: 'fee-receipt', onlyIfCurrent: false });
  return Promise.resolve();
}

/**
 * A late-cancel or no-show fee (patch appointment-cancellation-fees-v1, decided by the cancel / no-show
 * handler): an invoice with the fee line, then the card given for the visit or the saved card charged
 * off-session (key `<workflow>:fee-charge:<attempt>`), once. A card that is missing, declined or needs
 * the customer gets a pay link and one staff task — never a decline notice; the retry schedule, a card
 * update or a payment on the pay page settle it, and after the last attempt it is uncollectible.
 */
export async function collectFee(model: AppointmentModel, outbox: Outbox): Promise<void> {
  const fee = model.fee!;
  const { appointmentId, serviceName } = model.appointment;
  const invoice = await persistently(appointmentId, 'fee invoice', () =>
    data.openFeeInvoice({
      appointmentId,
      kind: fee.kind,
      amountMinor: fee.amountMinor,
      idempotencyKey: `${workflowInfo().workflowId}:fee:invoice`,
    }),
  );
  const { invoiceId, number, currency, totalMinor } = invoice;
  model.billing = { invoice: { invoiceId, number, currency, totalMinor }, payment: 'charging', attempts: 0 };
  model.publish();
  const retryDays = model.appointment.policy.paymentRetryDays ?? DEFAULT_LIFECYCLE_POLICY.paymentRetryDays;
  const what = fee.kind === 'late_cancel' ? 'Late-cancellation fee' : 'No-show fee';
  for (let attempt = 1; ; attempt += 1) {
    model.cardUpdated = false;
    const outcome = await charge(model, attempt, 'fee-charge');
    if (outcome.status === 'succeeded') return settleFee(model, outbox);
    const noCard = outcome.status === 'declined' && outcome.declineCode === 'no_saved_card';
    await sendPayLink(
      model,
      outbox,
      attempt,
      `${what} for ${serviceName}: ${noCard ? 'no card on file' : 'the card was not charged'}, payment link sent`,
    );
    const waitDays = retryDays[attempt - 1];
    if (waitDays === undefined) {
      await giveUp(model, outbox, attempt, true);
      return awaitLateCard(model, outbox, attempt, settleFee);
    }
    model.publish();
    await condition(() => model.cardUpdated, waitDays * DAY_MS);
  }
}

/**
 * Activities: every side effect of a workflow (database writes, messages, payments) as a plain async
 * function. `createActivities` binds them to their dependencies; workflows reach them through
 * `proxyActivities<Activities>()` with explicit timeouts and retry policies.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../src/config';
import type { Database } from '../src/db/schema';
import type { Logger } from '../src/logger';
import type { MessageProviders } from '../src/messaging/providers';
import type { PaymentGateway } from '../src/payments/gateway';
import { appointmentActivities } from './appointments';
import { billingActivities } from './billing';
import { refusingBadDataAll } from './errors';
import { inboundIntegrationActivities } from './integrations-inbound';
import { membershipActivities, membershipSync } from './memberships';
import { messageBatch } from './message-batch';
import { notificationActivities } from './notifications';
import { outboundActivities } from './outbound';
import { retentionActivities } from './retention';
import { unbookedDepositActivities } from './unbooked-deposits';
import { waitlistActivities } from './waitlist';

export interface ActivityDeps {
  db: Kysely<Database>;
  config: Config;
  logger: Logger;
  providers: MessageProviders;
  payments: PaymentGateway;
}

export function createActivities(deps: ActivityDeps) {
  const appointments = appointmentActivities(deps);
  const billing = billingActivities(deps);
  const synced = membershipSync(deps.db);
  const notifications = notificationActivities(deps);
  // A PostgreSQL data exception (bad input) is never retried: a non-retryable InvalidRequest (errors.ts).
  return refusingBadDataAll({
    ...appointments,
    ...notifications,
    sendAppointmentMessageBatch: messageBatch(notifications.sendAppointmentMessages),
    ...billing,
    ...inboundIntegrationActivities(deps),
    ...outboundActivities(deps),
    ...membershipActivities(deps),
    ...retentionActivities(deps),
    ...unbookedDepositActivities(deps),
    ...waitlistActivities(deps),
    // Membership visits: the membership workflow hears of every change to its visits' rows.
    applyReschedule: synced(appointments.applyReschedule),
    applyStatusChange: synced(appointments.applyStatusChange),
    setStage: synced(appointments.setStage),
    completeDeliverTask: synced(billing.completeDeliverTask),
  });
}

export type Activities = ReturnType<typeof createActivities>;

/**
 * Every workflow type the worker registers. The worker bundles this module (and what it imports) for
 * Temporal's deterministic sandbox.
 */
export { appointmentWorkflow } from './appointment/workflow';
export { inboundFetchWorkflow } from './integration-inbound/workflow';
export { deliveryWorkflow } from './delivery/workflow';
export { membershipWorkflow } from './membership/workflow';
export { inboundRescheduleWaitWorkflow } from './integration-inbound/reschedule-wait';
export { retentionWorkflow } from './retention/workflow';
export { rescheduleRequestWorkflow } from './reschedule-request/workflow';
export { waitlistWorkflow } from './waitlist/workflow';
export { unbookedDepositsWorkflow } from './unbooked-deposits/workflow';

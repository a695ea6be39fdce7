/**
 * Turns a refused workflow update into an HTTP error: the workflow's refusal types (REFUSALS) become
 * 409 (slot taken, not allowed in the current state), 422 (a request that cannot be met) or 404.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { REFUSALS } from '../../workflows/appointment/messages';
import { MEMBERSHIP_REFUSALS } from '../../workflows/membership/messages';
import { HttpError } from './errors';
import { MEMBERSHIP_VISIT_REFUSALS } from '../memberships/visit-moves';

export function refusalOf(error: unknown): { type: string; message: string } | undefined {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    return { type: error.cause.type ?? '', message: error.cause.message };
  }
  return undefined;
}

export function httpErrorForUpdate(error: unknown, field = 'startsAt'): HttpError {
  if (error instanceof WorkflowNotFoundError)
    return new HttpError(404, 'not_found', 'This appointment has no running workflow.');
  const refusal = refusalOf(error);
  if (!refusal) throw error;
  switch (refusal.type) {
    case REFUSALS.slotTaken:
      return new HttpError(409, 'slot_unavailable', refusal.message);
    case REFUSALS.invalidTransition:
      return new HttpError(409, 'invalid_transition', refusal.message);
    case REFUSALS.deliveryNotYetDue:
      return new HttpError(409, 'delivery_not_yet_due', refusal.message);
    case REFUSALS.notFound:
      return new HttpError(404, 'not_found', refusal.message);
    case MEMBERSHIP_VISIT_REFUSALS.outsideValidity:
      return new HttpError(422, 'outside_membership_validity', refusal.message, {}, [
        { field: 'startsAt', message: refusal.message },
      ]);
    case MEMBERSHIP_VISIT_REFUSALS.serviceNotCovered:
      return new HttpError(422, 'service_not_covered', refusal.message, {}, [
        { field: 'serviceId', message: refusal.message },
      ]);
    case MEMBERSHIP_REFUSALS.visitOutsideValidity:
      return new HttpError(422, 'visit_outside_validity', refusal.message, {}, [{ field, message: refusal.message }]);
    default:
      return new HttpError(422, 'invalid_request', refusal.message, {}, [{ field, message: refusal.message }]);
  }
}

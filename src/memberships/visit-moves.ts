/**
 * Whether a membership visit may move to a new time (and service): it must still start within the
 * membership's validity (before `validUntil`, as when it was booked), the membership must not have
 * expired, and a new service must be one the plan covers. Checked by the reschedule activity (every
 * path: staff API, manage link, SMS and email replies, inbound integrations) inside its transaction —
 * the refusal reaches the caller as the workflow's update refusal — and by the HTTP routes before they
 * send the update. Pure.
 */
import { formatWhen } from '../messaging/templates';

/** Refusal types (ApplicationFailure.type) the reschedule activity raises for a membership visit. */
export const MEMBERSHIP_VISIT_REFUSALS = {
  outsideValidity: 'OutsideMembershipValidity',
  serviceNotCovered: 'ServiceNotCoveredByMembership',
} as const;

export interface VisitMoveProblem {
  refusal: (typeof MEMBERSHIP_VISIT_REFUSALS)[keyof typeof MEMBERSHIP_VISIT_REFUSALS];
  code: 'outside_membership_validity' | 'service_not_covered';
  field: 'startsAt' | 'serviceId';
  message: string;
}

export function visitMoveProblem(
  membership: {
    certificateNumber: string;
    validUntil: number;
    timeZone: string;
    expired: boolean;
    /** Services the plan covers; empty = every service. */
    serviceIds: readonly string[];
  },
  move: { startsAt: number; serviceId: string; serviceChanged: boolean },
): VisitMoveProblem | undefined {
  if (membership.expired) {
    return {
      refusal: MEMBERSHIP_VISIT_REFUSALS.outsideValidity,
      code: 'outside_membership_validity',
      field: 'startsAt',
      message: `Membership ${membership.certificateNumber} has expired, so its visit cannot be moved.`,
    };
  }
  if (move.startsAt >= membership.validUntil) {
    return {
      refusal: MEMBERSHIP_VISIT_REFUSALS.outsideValidity,
      code: 'outside_membership_validity',
      field: 'startsAt',
      message:
        `This visit is part of membership ${membership.certificateNumber}, valid until ` +
        `${formatWhen(membership.validUntil, membership.timeZone)}; choose an earlier time.`,
    };
  }
  if (move.serviceChanged && membership.serviceIds.length > 0 && !membership.serviceIds.includes(move.serviceId)) {
    return {
      refusal: MEMBERSHIP_VISIT_REFUSALS.serviceNotCovered,
      code: 'service_not_covered',
      field: 'serviceId',
      message: `Membership ${membership.certificateNumber} does not cover that service.`,
    };
  }
  return undefined;
}

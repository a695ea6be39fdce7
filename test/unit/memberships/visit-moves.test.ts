/**
 * A membership visit moves only within its membership's validity and to a service the plan covers.
 */
import { MEMBERSHIP_VISIT_REFUSALS, visitMoveProblem } from '../../../src/memberships/visit-moves';

const validUntil = Date.UTC(2026, 8, 1, 4); // Monday, August 31, 2026 at 11:00 PM CDT
const membership = {
  certificateNumber: '7K3Q-9TXM-2HD42',
  validUntil,
  timeZone: 'America/Chicago',
  expired: false,
  serviceIds: ['massage', 'facial'],
};
const move = { startsAt: validUntil - 3_600_000, serviceId: 'massage', serviceChanged: false };

it('allows a move that still starts before the validity ends', () => {
  expect(visitMoveProblem(membership, move)).toBeUndefined();
  expect(visitMoveProblem(membership, { ...move, serviceId: 'facial', serviceChanged: true })).toBeUndefined();
  expect(
    visitMoveProblem({ ...membership, serviceIds: [] }, { ...move, serviceId: 'x', serviceChanged: true }),
  ).toBeUndefined();
});

it('refuses a start at or after the end of the validity, naming the end in the membership zone', () => {
  for (const startsAt of [validUntil, validUntil + 86_400_000]) {
    expect(visitMoveProblem(membership, { ...move, startsAt })).toEqual({
      refusal: MEMBERSHIP_VISIT_REFUSALS.outsideValidity,
      code: 'outside_membership_validity',
      field: 'startsAt',
      message:
        'This visit is part of membership 7K3Q-9TXM-2HD42, valid until Monday, August 31, 2026 at 11:00 PM CDT; choose an earlier time.',
    });
  }
});

it('refuses a service the plan does not cover, and any move once expired', () => {
  expect(visitMoveProblem(membership, { ...move, serviceId: 'haircut', serviceChanged: true })).toMatchObject({
    refusal: MEMBERSHIP_VISIT_REFUSALS.serviceNotCovered,
    code: 'service_not_covered',
    field: 'serviceId',
  });
  expect(visitMoveProblem({ ...membership, expired: true }, move)?.code).toBe('outside_membership_validity');
});

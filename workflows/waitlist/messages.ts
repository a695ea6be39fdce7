/** The waitlist workflow's name, input, signals and result (one workflow per freed slot). */
import { defineSignal } from '@temporalio/workflow';
import type { FreedSlot } from '../../src/waitlist/matching';

export const WAITLIST_WORKFLOW_TYPE = 'waitlistWorkflow';
/** One per event that freed a slot, so a redelivered event offers nothing twice. */
export const waitlistWorkflowId = (eventId: string) => `waitlist:${eventId}`;
/** How long an offer holds its slot (the policy time). */
export const DEFAULT_HOLD_MINUTES = 15;
/** At most this many people are offered one slot, one after another. */
export const MAX_OFFERS = 20;

export interface WaitlistInput {
  slot: FreedSlot;
  holdMinutes: number;
}

export const slotFreedSignal = defineSignal<[FreedSlot]>('slotFreed');
export const offerClaimedSignal = defineSignal<[{ offerId: string }]>('offerClaimed');

export interface WaitlistResult {
  outcome: 'claimed' | 'nobody' | 'limit';
  offers: number;
  claimedBy?: string;
}

/**
 * `waitlistWorkflow`: a slot was freed (a cancel, a no-show, a move — src/waitlist/hook.ts starts it
 * with signal-with-start from the events outbox). It offers the slot to the first person in line whom
 * it suits (the activity picks them, creates the offer — a hold — and sends the claim link by email
 * and SMS), waits the hold time for the `offerClaimed` signal (sent by the claim endpoint after the
 * booking), and otherwise expires the offer and moves to the next person, until someone claims it,
 * nobody is left, or MAX_OFFERS.
 */
import { condition, proxyActivities, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type * as activities from '../../activities';
import { MAX_OFFERS, offerClaimedSignal, slotFreedSignal, type WaitlistInput, type WaitlistResult } from './messages';

type Activities = ReturnType<typeof activities.createActivities>;

const { offerFreedSlot, expireWaitlistOffer } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 10,
    nonRetryableErrorTypes: ['WaitlistSlotGone'],
  },
});

export async function waitlistWorkflow(input: WaitlistInput): Promise<WaitlistResult> {
  const claimed = new Set<string>();
  setHandler(offerClaimedSignal, ({ offerId }) => {
    claimed.add(offerId);
  });
  setHandler(slotFreedSignal, () => undefined); // the signal of signal-with-start: the input says it all
  const offeredTo: string[] = [];
  while (offeredTo.length < MAX_OFFERS) {
    const offer = await offerFreedSlot({
      workflowId: workflowInfo().workflowId,
      slot: input.slot,
      alreadyOffered: offeredTo,
      holdMinutes: input.holdMinutes,
    });
    if (!offer) return { outcome: 'nobody', offers: offeredTo.length };
    offeredTo.push(offer.entryId);
    setCurrentDetails(`Offered to ${offer.contactName} until ${new Date(offer.expiresAt).toISOString()}`);
    if (await condition(() => claimed.has(offer.offerId), offer.expiresAt - Date.now())) {
      return { outcome: 'claimed', offers: offeredTo.length, claimedBy: offer.entryId };
    }
    // The hold ran out; a claim that raced the timer wins (the activity only expires an open offer).
    if ((await expireWaitlistOffer({ offerId: offer.offerId })) === 'claimed') {
      return { outcome: 'claimed', offers: offeredTo.length, claimedBy: offer.entryId };
    }
  }
  return { outcome: 'limit', offers: offeredTo.length };
}

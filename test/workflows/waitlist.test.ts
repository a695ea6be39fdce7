/**
 * The waitlist workflow on the time-skipping server with stand-in activities: an offer whose hold runs
 * out is expired and the slot goes to the next person in line; a claim (the signal the claim endpoint
 * sends after booking) ends it; nobody left ends it too.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { OfferInput, OfferMade } from '../../activities/waitlist';
import { offerClaimedSignal, slotFreedSignal, type WaitlistResult } from '../../workflows/waitlist/messages';
import type { waitlistWorkflow } from '../../workflows/waitlist/workflow';
import { timeSkippingEnv, workflowBundle } from '../support/temporal';

jest.setTimeout(120_000);

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const HOLD_MINUTES = 15;

async function run(
  line: string[],
  drive: (ctx: {
    handle: Awaited<ReturnType<TestWorkflowEnvironment['client']['workflow']['signalWithStart']>>;
    offers: Array<OfferMade & { at: number }>;
  }) => Promise<void>,
): Promise<{ result: WaitlistResult; offers: Array<OfferMade & { at: number }>; expired: string[] }> {
  const taskQueue = `waitlist-${randomUUID()}`;
  const offers: Array<OfferMade & { at: number }> = [];
  const expired: string[] = [];
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: workflowBundle(),
    activities: {
      async offerFreedSlot(input: OfferInput): Promise<OfferMade | null> {
        const next = line.find((entry) => !input.alreadyOffered.includes(entry));
        if (!next) return null;
        const at = await env.currentTimeMs();
        const offer = {
          offerId: `offer-${next}`,
          entryId: next,
          contactName: next,
          expiresAt: at + input.holdMinutes * 60_000,
          at,
        };
        offers.push(offer);
        return offer;
      },
      async expireWaitlistOffer({ offerId }: { offerId: string }) {
        expired.push(offerId);
        return 'expired' as const;
      },
    },
  });
  const slot = { staffId: 'staff-1', startsAt: Date.UTC(2030, 0, 7, 15), endsAt: Date.UTC(2030, 0, 7, 16) };
  const result = await worker.runUntil(async () => {
    const handle = await env.client.workflow.signalWithStart<typeof waitlistWorkflow, [typeof slot]>(
      'waitlistWorkflow',
      {
        taskQueue,
        workflowId: `waitlist:${taskQueue}`,
        args: [{ slot, holdMinutes: HOLD_MINUTES }],
        signal: slotFreedSignal,
        signalArgs: [slot],
      },
    );
    await drive({ handle, offers });
    return handle.result();
  });
  return { result, offers, expired };
}

/** Waits (in real time, briefly) until the stand-in activity has made `n` offers. */
async function offersMade(offers: unknown[], n: number) {
  for (let i = 0; i < 200 && offers.length < n; i += 1) await new Promise((r) => setTimeout(r, 50));
  expect(offers.length).toBeGreaterThanOrEqual(n);
}

it('an offer whose hold runs out is expired and the slot offered to the next person, who claims it', async () => {
  const { result, offers, expired } = await run(['ana', 'ben', 'cleo'], async ({ handle, offers: made }) => {
    await offersMade(made, 1);
    // Nobody claims Ana's offer: the hold runs out (skipped time), Ben gets it.
    await env.sleep(`${HOLD_MINUTES + 1} minutes`);
    await offersMade(made, 2);
    await handle.signal(offerClaimedSignal, { offerId: 'offer-ben' });
  });
  expect(result).toEqual({ outcome: 'claimed', offers: 2, claimedBy: 'ben' });
  expect(expired).toEqual(['offer-ana']);
  expect(offers.map((o) => o.entryId)).toEqual(['ana', 'ben']);
  // Ben's offer came when Ana's hold ended (the timer runs to the promised end, not a fresh 15 minutes).
  expect(offers[1]!.at - offers[0]!.at).toBeGreaterThanOrEqual(HOLD_MINUTES * 60_000);
  expect(offers[1]!.at - offers[0]!.at).toBeLessThan(HOLD_MINUTES * 60_000 + 10_000);
});

it('a claim within the hold ends it at once; a claim for an older offer does not count for the current one', async () => {
  const { result, expired } = await run(['dana', 'eli'], async ({ handle, offers: made }) => {
    await offersMade(made, 1);
    await handle.signal(offerClaimedSignal, { offerId: 'offer-someone-else' });
    await handle.signal(offerClaimedSignal, { offerId: 'offer-dana' });
  });
  expect(result).toEqual({ outcome: 'claimed', offers: 1, claimedBy: 'dana' });
  expect(expired).toEqual([]);
});

it('when every offer runs out and nobody is left, it ends with nobody', async () => {
  const { result, expired } = await run(['fay'], async ({ offers: made }) => {
    await offersMade(made, 1);
    await env.sleep(`${HOLD_MINUTES + 1} minutes`);
  });
  expect(result).toEqual({ outcome: 'nobody', offers: 1 });
  expect(expired).toEqual(['offer-fay']);
});

/**
 * Activities of the inbound-integration fetch workflow: fetch an id-only notification's details from
 * the vendor API (retried by the workflow's policy), apply the resulting events to the appointments
 * (through the Temporal client of the activity context), and finish the delivery's log entry.
 */
import { Context } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { Config } from '../src/config';
import type { Database } from '../src/db/schema';
import { applyEvent } from '../src/integrations/inbound/apply';
import { adapterFor } from '../src/integrations/inbound/registry';
import { resolvePendingReschedule } from '../src/integrations/inbound/reschedule-wait';
import type { RescheduleWaitInput } from '../workflows/integration-inbound/messages';
import { claimLate, finishDelivery, loadSettings, saveState } from '../src/integrations/inbound/store';
import type { FetchRef, NormalisedEvent } from '../src/integrations/inbound/types';
import { keyringOf } from '../src/secrets/keys';

export interface InboundActivityDeps {
  db: Kysely<Database>;
  config: Config;
}

export function inboundIntegrationActivities({ db, config }: InboundActivityDeps) {
  async function settingsOf(platform: string) {
    const settings = await loadSettings(db, platform, keyringOf(config.secrets));
    const adapter = adapterFor(platform);
    if (!settings || !adapter) throw new Error(`Inbound platform ${platform} is not configured`);
    return { settings, adapter };
  }

  return {
    async fetchInboundDetails(input: { platform: string; refs: FetchRef[] }): Promise<NormalisedEvent[]> {
      const { settings, adapter } = await settingsOf(input.platform);
      if (!adapter.fetchDetails) return [];
      const result = await adapter.fetchDetails(input.refs, settings, (url, init) => fetch(url, init));
      if (result.state) await saveState(db, input.platform, { ...settings.state, ...result.state });
      return result.events;
    },

    async applyInboundEvents(input: {
      platform: string;
      deliveryId: string;
      events: NormalisedEvent[];
      claimAfterFetch: boolean;
    }): Promise<string[]> {
      const { settings } = await settingsOf(input.platform);
      const first = input.events[0];
      if (input.claimAfterFetch && first && !(await claimLate(db, input.deliveryId, first.vendorEventId))) {
        return ['duplicate'];
      }
      const outcomes: string[] = [];
      let appointmentId: string | null = null;
      for (const event of input.events) {
        const result = await applyEvent({ db, config, temporal: Context.current().client }, settings, event);
        outcomes.push(`${event.type} ${event.externalId}: ${result.outcome}`);
        appointmentId = appointmentId ?? result.appointmentId;
      }
      await finishDelivery(db, input.deliveryId, {
        outcome: outcomes.length ? outcomes.join('; ') : 'nothing changed',
        appointmentId,
        ...(first ? { eventType: first.type, externalId: first.externalId } : {}),
      });
      return outcomes;
    },

    /** The bounded wait of a platform-side reschedule is over (see workflows/integration-inbound/reschedule-wait.ts). */
    async resolvePendingReschedule(input: RescheduleWaitInput): Promise<string> {
      return resolvePendingReschedule(db, input);
    },

    async finishInboundDelivery(input: { deliveryId: string; outcome: string; error?: string }): Promise<void> {
      await finishDelivery(db, input.deliveryId, { outcome: input.outcome, error: input.error ?? null });
    },
  };
}

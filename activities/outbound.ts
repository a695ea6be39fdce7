/**
 * Activities of the delivery workflow: one attempt at a delivery (webhook or platform sync), logged,
 * and marking a delivery failed when its retry budget is spent.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { Config } from '../src/config';
import type { Database } from '../src/db/schema';
import { attemptDelivery, failDelivery, type AttemptResult } from '../src/outbound/delivery';
import type { Http } from '../src/outbound/http';
import { keyringOf } from '../src/secrets/keys';

export const DELIVERY_FAILED = 'DeliveryFailed';

export function outboundActivities(deps: {
  db: Kysely<Database>;
  config: Pick<Config, 'secrets'>;
  outboundHttp?: Http;
}) {
  const secrets = keyringOf(deps.config.secrets);
  return {
    async performDelivery(input: { deliveryId: string }): Promise<AttemptResult> {
      const attempt = Context.current().info.attempt;
      try {
        return await attemptDelivery(
          { db: deps.db, secrets, ...(deps.outboundHttp ? { http: deps.outboundHttp } : {}) },
          input.deliveryId,
          attempt,
        );
      } catch (error) {
        const retryable = (error as { retryable?: boolean }).retryable !== false;
        throw ApplicationFailure.create({
          type: DELIVERY_FAILED,
          message: (error as Error).message,
          nonRetryable: !retryable,
        });
      }
    },

    async markDeliveryFailed(input: { deliveryId: string; error: string }): Promise<void> {
      await failDelivery({ db: deps.db }, input.deliveryId, input.error);
    },
  };
}

/**
 * Activity of the unbooked-deposit sweep: one bounded batch (src/payments/unbooked-deposits.ts),
 * idempotent — a retried or concurrent call refunds nothing twice and writes one email or task.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../src/config';
import type { Database } from '../src/db/schema';
import type { MessageProviders } from '../src/messaging/providers';
import type { PaymentGateway } from '../src/payments/gateway';
import {
  sweepUnbookedDeposits,
  type UnbookedSweepInput,
  type UnbookedSweepResult,
} from '../src/payments/unbooked-deposits';

export function unbookedDepositActivities(deps: {
  db: Kysely<Database>;
  config: Config;
  providers: MessageProviders;
  payments: PaymentGateway;
}) {
  return {
    async sweepUnbookedDeposits(input: UnbookedSweepInput): Promise<UnbookedSweepResult> {
      return sweepUnbookedDeposits(
        {
          db: deps.db,
          payments: deps.payments,
          email: deps.providers.email,
          publicBaseUrl: deps.config.http.publicBaseUrl,
        },
        input,
      );
    },
  };
}

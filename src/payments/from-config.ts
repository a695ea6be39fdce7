import type { Config } from '../config';
import type { PaymentGateway } from './gateway';
import { SimulatedGateway } from './simulated-gateway';
import { StripeGateway } from './stripe-gateway';

/** Stripe when a secret key is configured; otherwise the simulated gateway (labelled as such everywhere). */
export function paymentGatewayFromConfig(config: Config): PaymentGateway {
  return config.stripe
    ? new StripeGateway({
        secretKey: config.stripe.secretKey,
        ...(config.stripe.apiBase ? { apiBase: config.stripe.apiBase } : {}),
      })
    : new SimulatedGateway();
}

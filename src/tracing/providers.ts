/**
 * Spans around calls to the outside world without touching the callers: the message providers (email,
 * SMS, Slack) and the payment gateway are wrapped once where the worker is built, so each `send` or
 * `chargeOffSession` becomes a client span under the activity that made it. Other properties (`name`,
 * `simulated`, …) read through unchanged; with tracing off the wrapper only forwards.
 */
import type { MessageProvider, MessageProviders } from '../messaging/providers';
import type { PaymentGateway } from '../payments/gateway';
import { withSpan } from './index';

function traced<T extends object>(
  target: T,
  prefix: string,
  methods: ReadonlyArray<keyof T & string>,
  attributes: Record<string, string>,
): T {
  const wrapped = new Set<string | symbol>(methods);
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || !wrapped.has(property)) return value;
      return (...args: unknown[]) =>
        withSpan(`${prefix}.${property}`, attributes, () =>
          Promise.resolve((value as (...a: unknown[]) => unknown).apply(object, args)),
        );
    },
  });
}

const SENDS: ReadonlyArray<keyof MessageProvider & string> = ['send', 'findSent'];

export function tracedProviders(providers: MessageProviders): MessageProviders {
  return {
    email: traced(providers.email, 'email', SENDS, { provider: providers.email.name }),
    sms: traced(providers.sms, 'sms', SENDS, { provider: providers.sms.name }),
    ...(providers.slack ? { slack: traced(providers.slack, 'slack', SENDS, { provider: providers.slack.name }) } : {}),
    ...(providers.whatsapp
      ? { whatsapp: traced(providers.whatsapp, 'whatsapp', SENDS, { provider: providers.whatsapp.name }) }
      : {}),
  };
}

export function tracedGateway(gateway: PaymentGateway): PaymentGateway {
  return traced(gateway, 'payment', ['ensureCustomer', 'createSetupIntent', 'chargeOffSession'], {
    gateway: gateway.name,
  });
}

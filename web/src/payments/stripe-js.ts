/**
 * Stripe.js, loaded once from the URL the server configures (`STRIPE_JS_URL`, normally
 * https://js.stripe.com/v3/), typed for the documented calls the pages use: `Stripe(pk)`,
 * `elements({ clientSecret, appearance })`, `elements.create('payment')`, `.mount()`,
 * `confirmSetup` and `confirmPayment` with `redirect: 'if_required'`.
 */
export interface StripeElement {
  mount(target: HTMLElement): void;
  destroy(): void;
}
export interface StripeElements {
  create(type: 'payment', options?: Record<string, unknown>): StripeElement;
}
interface StripeError {
  message?: string;
}
export interface StripeJs {
  elements(options: { clientSecret: string; appearance?: Record<string, unknown> }): StripeElements;
  confirmSetup(options: {
    elements: StripeElements;
    redirect: 'if_required';
    confirmParams?: { return_url?: string };
  }): Promise<{ error?: StripeError; setupIntent?: { id: string; status: string } }>;
  confirmPayment(options: {
    elements: StripeElements;
    redirect: 'if_required';
    confirmParams?: { return_url?: string };
  }): Promise<{ error?: StripeError; paymentIntent?: { id: string; status: string } }>;
}

export type PaymentsConfig =
  | { gateway: 'stripe'; publishableKey: string | null; stripeJsUrl: string }
  | { gateway: 'simulated'; testCards: Array<{ id: string; label: string }> };

declare global {
  interface Window {
    Stripe?: (publishableKey: string) => StripeJs;
  }
}

const loading = new Map<string, Promise<void>>();

/** Adds the Stripe.js script once per URL and returns `Stripe(publishableKey)`. */
export async function loadStripe(url: string, publishableKey: string): Promise<StripeJs> {
  if (!window.Stripe) {
    let script = loading.get(url);
    if (!script) {
      script = new Promise<void>((resolve, reject) => {
        const tag = document.createElement('script');
        tag.src = url;
        tag.async = true;
        tag.onload = () => resolve();
        tag.onerror = () => reject(new Error('The secure card form could not be loaded. Please try again.'));
        document.head.appendChild(tag);
      });
      loading.set(url, script);
    }
    await script;
  }
  if (!window.Stripe) throw new Error('The secure card form could not be loaded. Please try again.');
  return window.Stripe(publishableKey);
}

/**
 * A small local stand-in for Stripe.js for browser tests (the real one cannot load without internet).
 * It implements only the documented calls the pages use — `Stripe(pk)`, `elements({ clientSecret,
 * appearance })`, `elements.create('payment')`, `.mount()`, `stripe.confirmSetup({ elements, redirect:
 * 'if_required' })` and `stripe.confirmPayment(…)` — with a plain card-number field, and its server
 * side confirms the intent against stripe-mock (through the recorder) the way Stripe.js would:
 * `POST /v1/setup_intents/<id>/confirm` or `/v1/payment_intents/<id>/confirm` with the test card.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const SCRIPT = `(function () {
  var base = new URL(document.currentScript.src).origin;
  function confirm(kind, options) {
    var els = options.elements;
    var id = els.clientSecret.split('_secret_')[0];
    return fetch(base + '/confirm', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ kind: kind, id: id, card: els.input ? els.input.value : '' }),
    })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        if (answer.error) return { error: answer.error };
        return kind === 'setup' ? { setupIntent: answer } : { paymentIntent: answer };
      });
  }
  window.Stripe = function (publishableKey) {
    if (!/^pk_/.test(publishableKey)) throw new Error('Stripe stand-in: a publishable key is required');
    return {
      elements: function (options) {
        var els = { clientSecret: options.clientSecret, input: null };
        els.create = function (type) {
          if (type !== 'payment') throw new Error('Stripe stand-in: only the payment element');
          var wrapper;
          return {
            mount: function (target) {
              wrapper = document.createElement('div');
              var label = document.createElement('label');
              label.htmlFor = 'standin-card-number';
              label.textContent = 'Card number';
              var input = document.createElement('input');
              input.id = 'standin-card-number';
              input.inputMode = 'numeric';
              input.autocomplete = 'cc-number';
              wrapper.appendChild(label);
              wrapper.appendChild(input);
              target.appendChild(wrapper);
              els.input = input;
            },
            destroy: function () { if (wrapper) wrapper.remove(); },
          };
        };
        return els;
      },
      confirmSetup: function (options) { return confirm('setup', options); },
      confirmPayment: function (options) { return confirm('payment', options); },
    };
  };
})();`;

const CARDS: Record<string, string> = {
  '4242424242424242': 'pm_card_visa',
  '4000000000000002': 'pm_card_chargeDeclined',
};

export interface StripeJsStandIn {
  url: string;
  stop(): Promise<void>;
}

export async function startStripeJsStandIn(stripeApiBase: string): Promise<StripeJsStandIn> {
  const server: Server = createServer((req, res) => {
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type' };
    if (req.method === 'GET' && req.url === '/v3/') {
      res.writeHead(200, { 'content-type': 'application/javascript', ...cors });
      res.end(SCRIPT);
      return;
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors);
      res.end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const { kind, id, card } = JSON.parse(Buffer.concat(chunks).toString()) as {
          kind: 'setup' | 'payment';
          id: string;
          card: string;
        };
        const paymentMethod = CARDS[card.replace(/\s/g, '')];
        if (!paymentMethod) {
          res.writeHead(200, { 'content-type': 'application/json', ...cors });
          res.end(JSON.stringify({ error: { message: 'Your card number is invalid.' } }));
          return;
        }
        const path = kind === 'setup' ? `/v1/setup_intents/${id}/confirm` : `/v1/payment_intents/${id}/confirm`;
        const answer = await fetch(`${stripeApiBase}${path}`, {
          method: 'POST',
          headers: { authorization: 'Bearer sk_test_standin', 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ payment_method: paymentMethod }),
        });
        const intent = (await answer.json()) as { id: string; status: string };
        res.writeHead(200, { 'content-type': 'application/json', ...cors });
        res.end(JSON.stringify({ id: intent.id, status: kind === 'setup' ? intent.status : 'succeeded' }));
      })();
    });
  });
  const origin = await new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
  return { url: `${origin}/v3/`, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

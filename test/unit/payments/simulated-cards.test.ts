/** The simulated gateway's saved cards (issue 16): a confirmed SetupIntent saves the card; detach removes it once per key. */
import { PaymentGatewayError } from '../../../src/payments/gateway';
import { SIMULATED_CARD_EXPIRY, SimulatedGateway } from '../../../src/payments/simulated-gateway';

it('lists a card saved through a SetupIntent and detaches it idempotently', async () => {
  const gateway = new SimulatedGateway();
  const { setupIntentId } = await gateway.createSetupIntent({ customerId: 'sim_cus_1', idempotencyKey: 'setup:1' });
  expect(gateway.confirmSetupIntent(setupIntentId, 'pm_card_mastercard')).toEqual({ ok: true });
  expect(await gateway.listCards('sim_cus_1')).toEqual([
    { paymentMethodId: 'pm_card_mastercard', brand: 'mastercard', last4: '4444', ...SIMULATED_CARD_EXPIRY },
  ]);
  expect(await gateway.listCards('sim_cus_2')).toEqual([]);

  await gateway.detachCard({ paymentMethodId: 'pm_card_mastercard', idempotencyKey: 'detach:1' });
  await gateway.detachCard({ paymentMethodId: 'pm_card_mastercard', idempotencyKey: 'detach:1' }); // a retry
  expect(await gateway.listCards('sim_cus_1')).toEqual([]);
  await expect(gateway.detachCard({ paymentMethodId: 'pm_card_visa', idempotencyKey: 'detach:1' })).rejects.toThrow(
    PaymentGatewayError,
  );
});

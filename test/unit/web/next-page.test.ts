/** Where a message's manage link leads after signing in to the portal: allow-listed pages only (no open redirect). */
import { nextPage } from '../../../web/src/customer/account/next-page';

it('a manage link leads only to allow-listed portal pages after signing in', () => {
  expect(nextPage('messages', 'a1')).toBe('/account/messages?appointment=a1');
  expect(nextPage('messages', undefined)).toBe('/account/messages');
  for (const next of [null, '', 'https://evil.example', '//evil.example', 'toString', '__proto__', 'invoices']) {
    expect(nextPage(next, 'a1')).toBe('/account');
  }
});

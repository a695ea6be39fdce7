import { checkSender, dkimResults } from '../../../src/messaging/sender-authentication';

const sam = 'sam@example.com';

it('reads SendGrid DKIM results per signing domain', () => {
  expect(dkimResults('{@example.com : pass, @sendgrid.info : fail}')).toEqual([
    { domain: 'example.com', result: 'pass' },
    { domain: 'sendgrid.info', result: 'fail' },
  ]);
  expect(dkimResults('none')).toEqual([]);
});

it.each([
  ['SPF pass for the envelope sender of the same domain', { spf: 'pass', dkim: 'none', envelopeFrom: sam }, true],
  ['DKIM pass for the domain', { spf: 'fail', dkim: '{@example.com : pass}', envelopeFrom: sam }, true],
  [
    'DKIM pass for a parent domain',
    { spf: 'none', dkim: '{@example.com : pass}', envelopeFrom: undefined, address: 'sam@mail.example.com' },
    true,
  ],
  ['spoofed: SPF fail, no DKIM', { spf: 'fail', dkim: 'none', envelopeFrom: sam }, false],
  ['SPF pass without an envelope to tie it to', { spf: 'pass', dkim: 'none', envelopeFrom: undefined }, false],
  ['SPF pass for another domain', { spf: 'pass', dkim: 'none', envelopeFrom: 'bounce@attacker.example' }, false],
  ['DKIM pass for another domain', { spf: 'softfail', dkim: '{@attacker.example : pass}', envelopeFrom: sam }, false],
  ['DKIM fail for the domain', { spf: 'neutral', dkim: '{@example.com : fail}', envelopeFrom: sam }, false],
  ['a look-alike domain', { spf: 'none', dkim: '{@notexample.com : pass}', envelopeFrom: sam }, false],
])('%s', (_name, input, verified) => {
  const result = checkSender({ address: sam, ...input });
  expect(result.verified).toBe(verified);
});

it('says what was checked, in words', () => {
  expect(checkSender({ address: sam, envelopeFrom: sam, spf: 'fail', dkim: 'none' }).summary).toBe(
    'SPF fail, DKIM none',
  );
});

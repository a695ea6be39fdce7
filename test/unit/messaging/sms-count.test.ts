/**
 * The admin app's live SMS length (web/src/sms-count.ts) counts an edited reschedule SMS the way the
 * server does when it checks and sends it (editedSmsSeptets), given the link length the preview reports.
 */
import { MANAGE_LINK_PLACEHOLDER, editedSmsSeptets } from '../../../src/messaging/edited-message';
import { smsLength } from '../../../web/src/sms-count';

const BASE = 'https://book.example.com';
const LINK_SEPTETS = editedSmsSeptets(MANAGE_LINK_PLACEHOLDER, BASE);

it.each([
  'Harbor: your repair moved, sorry for the shuffle. Details: {manage-link}',
  '  Leading and trailing spaces  {manage-link}  ',
  'Two links {manage-link} and {manage-link}',
  'Extension characters cost two: {curly} [square] ~ € | ^ \\ {manage-link}',
  'Typographic “quotes” — dashes… and emoji 🎉 mapped onto GSM-7 {manage-link}',
  'Zürich, Łódź, Ελλάδα, 東京 {manage-link}',
  `${'Your repair has moved to a new time. '.repeat(9)}{manage-link}`,
  'No link at all',
])('counts %j as the server does', (text) => {
  const server = editedSmsSeptets(text.trim(), BASE);
  const { septets, segments } = smsLength(text, LINK_SEPTETS);
  expect(septets).toBe(server);
  expect(segments).toBe(server <= 160 ? 1 : Math.ceil(server / 153));
});

it('reports no segments for an empty text', () => {
  expect(smsLength('   ', LINK_SEPTETS)).toEqual({ septets: 0, segments: 0 });
});

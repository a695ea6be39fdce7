/** Reply intents: tolerant matching, and the carrier opt-out keywords always mean opt-out. */
import { OPT_OUT_KEYWORDS, parseEmailReply, parseSmsReply } from '../../../src/messaging/replies';

describe('parseSmsReply', () => {
  it.each([
    ['C', 'cancel'],
    [' c ', 'cancel'],
    ['c.', 'cancel'],
    ['"C"!', 'cancel'],
    ['R', 'reschedule'],
    ['r?', 'reschedule'],
    ['YES', 'confirm'],
    ['yes!', 'confirm'],
    ['Y', 'confirm'],
    [' Yes. ', 'confirm'],
    ['HELP', 'help'],
    ['info', 'help'],
    ['W', 'waitlist'],
    ['w.', 'waitlist'],
    ['Wait', 'waitlist'],
    ['waitlist!', 'waitlist'],
    ['WW', 'other'],
    ['Can I bring my dog?', 'other'],
    ['CC', 'other'],
    ['4', 'other'],
    ['', 'other'],
  ])('%j → %s', (text, kind) => {
    expect(parseSmsReply(text).kind).toBe(kind);
  });

  it.each([...OPT_OUT_KEYWORDS, 'stop', 'Cancel', 'cancel.', ' STOP ', 'Stop all', 'opt-out', 'un subscribe'])(
    '%j is an opt-out, never an appointment cancel',
    (text) => {
      expect(parseSmsReply(text)).toEqual({ kind: 'opt_out', keyword: expect.any(String) });
    },
  );

  it('START and UNSTOP opt back in, naming the keyword', () => {
    expect(parseSmsReply('start')).toEqual({ kind: 'opt_in', keyword: 'START' });
    expect(parseSmsReply('Unstop!')).toEqual({ kind: 'opt_in', keyword: 'UNSTOP' });
  });

  it.each([
    ['1', 1],
    [' 2 ', 2],
    ['#3', 3],
    ['2.', 2],
  ])('%j chooses slot %d', (text, index) => {
    expect(parseSmsReply(text)).toEqual({ kind: 'choice', index });
  });
});

describe('parseEmailReply', () => {
  it('reads the first line that is not quoted, so our own quoted prompt triggers nothing', () => {
    expect(parseEmailReply('Cancel please\n\nOn Tue, X wrote:\n> Reply C to cancel').kind).toBe('cancel');
    expect(parseEmailReply('\n> Reply C to cancel, R to reschedule.\n').kind).toBe('other');
    expect(parseEmailReply('On Tue, Mar 10, Serenity Spa wrote:\n> C').kind).toBe('other');
  });

  it('understands cancel / reschedule words, YES and a slot number; anything else is for staff', () => {
    expect(parseEmailReply('CANCEL').kind).toBe('cancel');
    expect(parseEmailReply('Please cancel my appointment.').kind).toBe('cancel');
    expect(parseEmailReply('reschedule').kind).toBe('reschedule');
    expect(parseEmailReply('Yes').kind).toBe('confirm');
    expect(parseEmailReply('2').kind).toBe('choice');
    expect(parseEmailReply('Can I cancel and get a refund for last time?').kind).toBe('other');
  });
});

import { fitSms, gsm7Length, isGsm7, smsText, toGsm7, truncate } from '../../../src/messaging/sms';

describe('GSM-7', () => {
  it('recognises the default alphabet and its extension table', () => {
    expect(isGsm7('Hello @ £5, café à Zürich? ¡Si! Δ')).toBe(true);
    expect(isGsm7('braces {} and € are extension characters')).toBe(true);
    expect(isGsm7('curly ’quote’')).toBe(false);
    expect(isGsm7('em — dash')).toBe(false);
    expect(isGsm7('emoji 💆')).toBe(false);
    expect(isGsm7('í')).toBe(false); // not every accented letter is GSM-7
    expect(isGsm7('backtick `')).toBe(false);
  });

  it('counts extension characters as two septets', () => {
    expect(gsm7Length('abc')).toBe(3);
    expect(gsm7Length('a€{')).toBe(5);
  });

  it('maps typographic characters to ASCII and drops emoji', () => {
    expect(toGsm7('Zoë’s “Spa” — Café… 💆‍♀️👍🏽 🇺🇸')).toBe('Zoe\'s "Spa" - Café...  ');
    expect(toGsm7('Łódź')).toBe('Lodz');
    expect(toGsm7('東京')).toBe('??');
    expect(toGsm7('tab\there\u00A0nbsp\u202Fnarrow')).toBe('tab here nbsp narrow');
    expect(isGsm7(toGsm7('Ünïcödé “everything” – ok ✓'))).toBe(true);
  });

  it('smsText collapses whitespace and newlines', () => {
    expect(smsText('  Deep\n\tTissue   Massage  ')).toBe('Deep Tissue Massage');
    expect(smsText(null)).toBe('');
  });
});

describe('truncate', () => {
  it('cuts with an ellipsis when there is room', () => {
    expect(truncate('Deep Tissue Massage', 100)).toBe('Deep Tissue Massage');
    expect(truncate('Deep Tissue Massage', 10)).toBe('Deep Ti...');
    expect(truncate('Deep Tissue Massage', 8)).toBe('Deep...');
    expect(truncate('Deep Tissue Massage', 3)).toBe('Dee');
    expect(truncate('Deep Tissue Massage', 0)).toBe('');
  });
});

describe('fitSms', () => {
  it('leaves a message that fits alone', () => {
    const r = fitSms({ a: { text: 'short', min: 3 } }, (t) => `Hi ${t.a}`, 20);
    expect(r).toEqual({ text: 'Hi short', truncated: false, fits: true });
  });

  it('shortens the longest parts first, evenly, not below their minimums', () => {
    const r = fitSms(
      { a: { text: 'a'.repeat(50), min: 5 }, b: { text: 'b'.repeat(30), min: 5 }, c: { text: 'c'.repeat(5), min: 5 } },
      (t) => `${t.a}|${t.b}|${t.c}`,
      60,
    );
    expect(r.fits).toBe(true);
    expect(r.truncated).toBe(true);
    expect(r.text.length).toBeLessThanOrEqual(60);
    const [a, b, c] = r.text.split('|');
    expect(c).toBe('ccccc');
    expect(Math.abs((a?.length ?? 0) - (b?.length ?? 0))).toBeLessThanOrEqual(1);
  });

  it('may drop a part entirely when its minimum is 0', () => {
    const r = fitSms(
      { keep: { text: 'important', min: 9 }, opt: { text: 'optional detail', min: 0 } },
      (t) => `${t.keep}${t.opt ? ` (${t.opt})` : ''}`,
      12,
    );
    expect(r.text).toBe('important');
  });

  it('cuts the message as a last resort and says so', () => {
    const r = fitSms({ a: { text: 'abc', min: 3 } }, (t) => `${t.a} ${'x'.repeat(400)}`, 306);
    expect(r.fits).toBe(false);
    expect(gsm7Length(r.text)).toBeLessThanOrEqual(306);
    expect(r.text.endsWith('...')).toBe(true);
  });

  it('counts septets, not characters', () => {
    const r = fitSms({ a: { text: '€€€€€€€€€€', min: 0 } }, (t) => t.a, 10);
    expect(gsm7Length(r.text)).toBeLessThanOrEqual(10);
  });
});

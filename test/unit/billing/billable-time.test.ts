import { billableTime, hoursAndMinutes, parseDuration } from '../../../src/billing/billable-time';

describe('billable time as staff type it', () => {
  it.each([
    ['1:30', 90],
    ['0:45', 45],
    ['1.5', 90],
    ['1,5', 90],
    ['2', 120],
    ['.25', 15],
    ['90 min', 90],
    ['90m', 90],
    ['1 h 30', 90],
    ['1h30m', 90],
    ['2 hours', 120],
  ])('%s is %i minutes', (input, minutes) => {
    expect(parseDuration(input)).toBe(minutes);
  });

  it.each(['', 'abc', '1:75', '-1', '1:30:00'])('%p cannot be read', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it('rounds up to the increment and says so', () => {
    expect(billableTime('1:20', 15)).toEqual({
      ok: true,
      enteredMinutes: 80,
      minutes: 90,
      text: '1:30',
      rounded: true,
    });
    expect(billableTime('1.5', 15)).toEqual({
      ok: true,
      enteredMinutes: 90,
      minutes: 90,
      text: '1:30',
      rounded: false,
    });
    expect(billableTime('0:05', 30)).toMatchObject({ minutes: 30, text: '0:30' });
  });

  it('refuses in words', () => {
    expect(billableTime('soon', 15)).toEqual({
      ok: false,
      message: 'Enter the time as hours and minutes (1:30) or hours (1.5).',
    });
    expect(billableTime('0', 15)).toEqual({ ok: false, message: 'Enter a time of more than zero.' });
    expect(billableTime('25', 15)).toEqual({ ok: false, message: 'Enter at most 24 hours.' });
  });

  it('formats h:mm', () => {
    expect(hoursAndMinutes(5)).toBe('0:05');
    expect(hoursAndMinutes(125)).toBe('2:05');
  });
});

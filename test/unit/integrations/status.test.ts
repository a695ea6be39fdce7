import { normaliseStatus, statusNeedsStaff } from '../../../src/integrations/inbound/status';

describe('statusNeedsStaff', () => {
  it('takes scheduled / confirmed / in-progress / completed reports as needing nobody, whatever the spelling', () => {
    for (const status of [
      'COMPLETED',
      'Completed',
      'done',
      'SCHEDULED',
      'Confirmed',
      'IN_PROGRESS',
      'Checked-In',
      'Dispatched',
    ]) {
      expect(statusNeedsStaff(status)).toBe(false);
    }
  });

  it('keeps a task for anything else, including no status at all', () => {
    for (const status of [
      'RESCHEDULED',
      'Hold',
      'unscheduled',
      'invoice_void',
      'not_found',
      'reauthorizationRequired',
      '',
      undefined,
    ]) {
      expect(statusNeedsStaff(status)).toBe(true);
    }
  });

  it('normalises punctuation and case', () => {
    expect(normaliseStatus('  Checked-In! ')).toBe('checked in');
  });
});

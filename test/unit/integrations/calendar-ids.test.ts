import { randomUUID } from 'node:crypto';
import { appointmentIdOfGoogleEvent } from '../../../src/integrations/inbound/store';
import { googleEventId } from '../../../src/outbound/platforms';

describe('Google Calendar event ids written by the outbound sync', () => {
  it('name their appointment: the inbound side reads back the id the outbound side wrote', () => {
    const id = randomUUID();
    expect(appointmentIdOfGoogleEvent(googleEventId(id))).toBe(id);
  });

  it('ignores event ids appointflow did not write', () => {
    expect(appointmentIdOfGoogleEvent('7cbh8rpc10lrc0ckih9tafss99')).toBeUndefined();
    expect(appointmentIdOfGoogleEvent(`af${'0'.repeat(31)}`)).toBeUndefined();
    expect(appointmentIdOfGoogleEvent(`xx${'a'.repeat(32)}`)).toBeUndefined();
  });
});

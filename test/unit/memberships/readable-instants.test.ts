import { readableInstants } from '../../../activities/memberships';

describe('membership timeline summaries', () => {
  it('show each instant in the membership zone with the zone named', () => {
    expect(
      readableInstants(
        'Visit moved: Massage from 2026-11-24T14:00:00.000Z to 2026-11-25T15:30:00Z',
        'America/New_York',
      ),
    ).toBe('Visit moved: Massage from Tue, Nov 24 at 9:00 AM EST to Wed, Nov 25 at 10:30 AM EST');
  });

  it('leave a summary without instants unchanged', () => {
    expect(readableInstants('Membership expired: all visits used', 'Europe/Berlin')).toBe(
      'Membership expired: all visits used',
    );
  });
});

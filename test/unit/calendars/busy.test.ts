import { createHash } from 'node:crypto';
import { subtractIntervals } from '../../../src/calendars/busy';
import { authorizationUrl, pkcePair } from '../../../src/calendars/providers';

describe('subtractIntervals (own synced events out of a calendar busy list)', () => {
  it('removes an exact match, trims an overlap and splits a merged block', () => {
    expect(subtractIntervals([{ start: 10, end: 20 }], [{ start: 10, end: 20 }])).toEqual([]);
    expect(subtractIntervals([{ start: 10, end: 30 }], [{ start: 10, end: 20 }])).toEqual([{ start: 20, end: 30 }]);
    expect(
      subtractIntervals(
        [{ start: 0, end: 100 }],
        [
          { start: 40, end: 50 },
          { start: 10, end: 20 },
        ],
      ),
    ).toEqual([
      { start: 0, end: 10 },
      { start: 20, end: 40 },
      { start: 50, end: 100 },
    ]);
    expect(
      subtractIntervals(
        [
          { start: 30, end: 40 },
          { start: 0, end: 5 },
        ],
        [{ start: 10, end: 20 }],
      ),
    ).toEqual([
      { start: 0, end: 5 },
      { start: 30, end: 40 },
    ]);
  });
});

describe('PKCE', () => {
  it('S256 challenge of a 43-character verifier, in a consent URL with state and no secret', () => {
    const { verifier, challenge } = pkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
    const url = new URL(
      authorizationUrl(
        'google',
        {
          clientId: 'id',
          clientSecret: 'never-in-urls',
          authorizeUrl: 'https://accounts.example/auth',
          tokenUrl: 'https://accounts.example/token',
          apiBase: 'https://api.example',
        },
        { redirectUri: 'https://app.example/cb', state: 's', challenge },
      ),
    );
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 's',
      access_type: 'offline',
    });
    expect(url.toString()).not.toContain('never-in-urls');
  });
});

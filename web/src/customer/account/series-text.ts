/** How the portal names a visit of a recurring series. */
import type { PortalAppointment } from './types';

/** "Visit 2 of 5 in your series (every week)" */
export const seriesText = (s: NonNullable<PortalAppointment['series']>) =>
  `Visit ${s.index} of ${s.count} in your series (${s.rule})`;

/** The customer as the series and waitlist requests send it: the booking form's details, trimmed. */
import type { Details } from './validation';

export function customerOf(d: Details) {
  return {
    name: d.name.trim(),
    email: d.email.trim(),
    ...(d.phone.trim() ? { phone: d.phone.trim() } : {}),
    smsOptIn: d.smsOptIn,
    ...(d.address.trim() ? { address: d.address.trim() } : {}),
  };
}

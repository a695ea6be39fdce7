/** A realistic message context for the messaging tests: New York customer, Kolkata staff member. */
import { type MessageContext } from '../../../src/messaging/templates';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** Tuesday, March 10, 2026, 9:30 AM EDT = 7:00 PM IST. */
export const START = Date.UTC(2026, 2, 10, 13, 30);
export const PREVIOUS_START = Date.UTC(2026, 2, 9, 14, 0); // Monday, March 9, 10:00 AM EDT

export function makeContext(overrides: Partial<MessageContext> = {}): MessageContext {
  return {
    business: {
      name: 'Serenity Spa',
      email: 'hello@serenity.example',
      phone: '+1 555 0100',
      address: '12 Main St, Springfield',
      timeZone: 'America/New_York',
    },
    contact: {
      name: 'Sam Rivera',
      email: 'sam@example.com',
      phone: '+15550111',
      address: '9 Elm Rd, Springfield',
      notes: 'Prefers firm pressure; allergic to lavender',
    },
    staff: { name: 'Priya Nair', email: 'priya@serenity.example', phone: '+915550123', timeZone: 'Asia/Kolkata' },
    service: { name: 'Deep Tissue Massage', durationMinutes: 60 },
    appointment: {
      id: 'appt_123',
      startsAt: START,
      endsAt: START + HOUR,
      timeZone: 'America/New_York',
      previousStartsAt: PREVIOUS_START,
      cancelReason: 'Therapist unwell',
      clientNote: 'Sore left shoulder',
      publicNotes: 'Please arrive 10 minutes early.',
      address: null,
    },
    manageUrl: 'https://af.example/m/tok_abcDEF123',
    bookingUrl: 'https://af.example/book/deep-tissue',
    suggestedSlots: [1, 2, 3].map((i) => ({
      startsAt: START + i * DAY,
      url: `https://af.example/book/deep-tissue?slot=s${i}`,
    })),
    ...overrides,
  };
}

/** A context with names and notes far longer than usual, and typographic characters and emoji. */
export function makeLongContext(): MessageContext {
  const base = makeContext();
  return {
    ...base,
    business: {
      ...base.business,
      name: 'Zoë’s “Serenity” Wellness & Day Spa — Downtown Springfield Flagship Location 💆‍♀️',
    },
    contact: {
      ...base.contact,
      name: 'Maximiliana Alexandra Konstantinopoulou-Featherstonehaugh',
      notes: 'Long-standing client. '.repeat(12),
      address: '1234 Extraordinarily Long Boulevard Name, Apartment 56B, Springfield Heights, IL 62704',
    },
    staff: { ...base.staff, name: 'Bartholomew Fitzgerald-Montgomery the Third' },
    service: {
      name: 'Signature Ninety-Minute Deep Tissue Massage with Hot Stones, Aromatherapy and Cranial Release Add-On',
      durationMinutes: 90,
    },
    appointment: {
      ...base.appointment,
      endsAt: START + 1.5 * HOUR,
      cancelReason: 'The therapist assigned to your appointment is unwell and we could not find a replacement. '.repeat(
        3,
      ),
      clientNote: 'Please focus on the lower back and shoulders; I had surgery last year. '.repeat(3),
      address: '1234 Extraordinarily Long Boulevard Name, Apartment 56B, Springfield Heights, IL 62704',
    },
    manageUrl: 'https://appointflow.example.com/manage/eyJhbGciOiJIUzI1NiJ9.abcdefghijklmnop',
    bookingUrl: 'https://appointflow.example.com/book/serenity-spa/signature-deep-tissue',
    suggestedSlots: [1, 2, 3].map((i) => ({
      startsAt: START + i * DAY,
      url: `https://appointflow.example.com/book/serenity-spa/signature-deep-tissue?slot=2026-03-1${i}T13:30:00Z`,
    })),
  };
}

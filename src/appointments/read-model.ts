/**
 * The appointment read model: an appointment with the service it is for (`sv`), the staff member who
 * performs it (`st`) and the customer (`c`). Every reader that shows or sends an appointment (the API's
 * appointment view, the admin calendar and board, outbound event payloads, message rendering) starts
 * from this one join and selects the columns it needs, so the join and its aliases live in one place.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';

export function appointmentsWithParties(db: Kysely<Database> | Transaction<Database>) {
  return db
    .selectFrom('appointments as a')
    .innerJoin('services as sv', 'sv.id', 'a.service_id')
    .innerJoin('staff as st', 'st.id', 'a.staff_id')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id');
}

/** An appointment as the admin app lists it (calendar, board, a contact's appointments). */
export function listedAppointments(db: Kysely<Database> | Transaction<Database>) {
  return appointmentsWithParties(db).select([
    'a.id',
    'a.starts_at as startsAt',
    'a.ends_at as endsAt',
    'a.status',
    'a.stage',
    'a.time_zone as timeZone',
    'a.price_minor as priceMinor',
    'a.currency',
    'sv.name as serviceName',
    'st.id as staffId',
    'st.name as staffName',
    'c.name as contactName',
    // For a technician's day: where to go and how to reach the customer.
    'c.phone as contactPhone',
    'c.address as contactAddress',
  ]);
}

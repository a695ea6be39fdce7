/**
 * Finding a caller among the contacts (issue 15): any part of the name or email (case-insensitive), or
 * the digits of the phone number however it is typed ("(212) 555-0101", "5550101"); and the customers
 * booked most recently. The expressions match the trigram indexes of migration 0031.
 */
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';

export interface ContactHit {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  address: string | null;
  notes: string;
  smsOptIn: boolean;
}

const columns = ['c.id', 'c.name', 'c.email', 'c.phone', 'c.address', 'c.notes', 'c.sms_opt_in as smsOptIn'] as const;

/** `%…%` for LIKE with the text's own wildcards escaped. */
function contains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The condition "this contact matches what was typed": part of the name or email, or (three digits or
 * more, whatever the punctuation) part of the phone number. On the `c` alias of `contacts`.
 */
export function contactMatches(query: string) {
  const text = query.trim().toLowerCase();
  const digits = text.replace(/\D/g, '');
  return (eb: ExpressionBuilder<Database & { c: Database['contacts'] }, 'c'>) =>
    eb.or([
      eb(sql<string>`lower(c.name)`, 'like', contains(text)),
      eb(sql<string>`lower(c.email)`, 'like', contains(text)),
      ...(digits.length >= 3
        ? [eb(sql<string>`regexp_replace(coalesce(c.phone, ''), '[^0-9]', '', 'g')`, 'like', contains(digits))]
        : []),
    ]);
}

export async function searchContacts(db: Kysely<Database>, query: string, limit = 20): Promise<ContactHit[]> {
  const text = query.trim().toLowerCase();
  return db
    .selectFrom('contacts as c')
    .select(columns)
    .where(contactMatches(text))
    .orderBy(sql`lower(c.name) like ${`${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`, 'desc') // name starts with it first
    .orderBy('c.name')
    .limit(limit)
    .execute();
}

/** The customers whose latest booking was made most recently (the caller is often one of them). */
export async function recentContacts(
  db: Kysely<Database>,
  limit = 8,
): Promise<Array<ContactHit & { lastBookedAt: string }>> {
  const latest = await db
    .selectFrom('appointments')
    .select(['contact_id', 'created_at'])
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
  const when = new Map<string, Date>();
  for (const a of latest) if (!when.has(a.contact_id) && when.size < limit) when.set(a.contact_id, a.created_at);
  if (!when.size) return [];
  const contacts = await db
    .selectFrom('contacts as c')
    .select(columns)
    .where('c.id', 'in', [...when.keys()])
    .execute();
  return contacts
    .map((c) => ({ ...c, lastBookedAt: when.get(c.id)!.toISOString() }))
    .sort((a, b) => b.lastBookedAt.localeCompare(a.lastBookedAt));
}

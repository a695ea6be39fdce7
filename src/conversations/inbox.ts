/**
 * The staff Messages inbox (issue 16): every customer thread with its last message, the signed-in staff
 * account's unread count (the customer's messages after that account last opened the thread), who it is
 * assigned to, and its state — "needs reply" when the customer wrote last, "waiting on customer" when
 * staff did. Opening a thread marks it read up to its newest message (idempotent).
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';

export const INBOX_STATES = ['needs_reply', 'waiting_on_customer'] as const;
export type InboxState = (typeof INBOX_STATES)[number];
/** How many threads one page lists (newest activity first). */
export const INBOX_LIMIT = 200;

export interface InboxFilter {
  accountId: string;
  state?: InboxState | undefined;
  /** A staff id, or `none` for unassigned threads. */
  assignee?: string | undefined;
}

export interface InboxThread {
  contact: { id: string; name: string };
  last: { body: string; at: string; direction: 'from_customer' | 'from_staff' };
  state: InboxState;
  unread: number;
  assignee: { id: string; name: string } | null;
}

interface Row {
  contact_id: string;
  contact_name: string;
  body: string;
  direction: 'from_customer' | 'from_staff';
  created_at: Date;
  assignee_staff_id: string | null;
  assignee_name: string | null;
  unread: number;
}

export async function inboxThreads(db: Kysely<Database>, filter: InboxFilter): Promise<InboxThread[]> {
  const state =
    filter.state === undefined
      ? sql`true`
      : sql`l.direction = ${filter.state === 'needs_reply' ? 'from_customer' : 'from_staff'}`;
  const assignee =
    filter.assignee === undefined
      ? sql`true`
      : filter.assignee === 'none'
        ? sql`a.assignee_staff_id IS NULL`
        : sql`a.assignee_staff_id = ${filter.assignee}`;
  const { rows } = await sql<Row>`
    SELECT l.contact_id, c.name AS contact_name, l.body, l.direction, l.created_at,
      a.assignee_staff_id, s.name AS assignee_name,
      (SELECT count(*) FROM conversation_messages u
        WHERE u.contact_id = l.contact_id AND u.direction = 'from_customer'
          AND (r.read_at IS NULL OR u.created_at > r.read_at))::int AS unread
    FROM (SELECT DISTINCT ON (contact_id) contact_id, body, direction, created_at
          FROM conversation_messages ORDER BY contact_id, created_at DESC, id DESC) l
    JOIN contacts c ON c.id = l.contact_id
    LEFT JOIN conversation_assignments a ON a.contact_id = l.contact_id
    LEFT JOIN staff s ON s.id = a.assignee_staff_id
    LEFT JOIN conversation_reads r ON r.contact_id = l.contact_id AND r.account_id = ${filter.accountId}
    WHERE ${state} AND ${assignee}
    ORDER BY l.created_at DESC
    LIMIT ${INBOX_LIMIT}`.execute(db);
  return rows.map((r) => ({
    contact: { id: r.contact_id, name: r.contact_name },
    last: { body: r.body, at: new Date(r.created_at).toISOString(), direction: r.direction },
    state: r.direction === 'from_customer' ? 'needs_reply' : 'waiting_on_customer',
    unread: Number(r.unread),
    assignee: r.assignee_staff_id ? { id: r.assignee_staff_id, name: r.assignee_name ?? '' } : null,
  }));
}

/** The customer messages this staff account has not read, over every thread (the nav badge). */
export async function unreadTotal(db: Kysely<Database>, accountId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM conversation_messages u
    LEFT JOIN conversation_reads r ON r.contact_id = u.contact_id AND r.account_id = ${accountId}
    WHERE u.direction = 'from_customer' AND (r.read_at IS NULL OR u.created_at > r.read_at)`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Marks the thread read for this account up to its newest message. In one statement: the newest time
 * never passes through JavaScript, whose Date keeps milliseconds where PostgreSQL keeps microseconds (a
 * round trip would leave the newest message unread).
 */
export async function markThreadRead(db: Kysely<Database>, contactId: string, accountId: string): Promise<void> {
  await sql`
    INSERT INTO conversation_reads (contact_id, account_id, read_at)
    SELECT ${contactId}, ${accountId}, max(created_at) FROM conversation_messages WHERE contact_id = ${contactId}
    HAVING max(created_at) IS NOT NULL
    ON CONFLICT (contact_id, account_id)
    DO UPDATE SET read_at = greatest(conversation_reads.read_at, excluded.read_at)`.execute(db);
}

/** Assigns the thread to a staff member, or unassigns it (null). */
export async function assignThread(
  db: Kysely<Database>,
  contactId: string,
  staffId: string | null,
  by: string,
): Promise<void> {
  await db
    .insertInto('conversation_assignments')
    .values({ contact_id: contactId, assignee_staff_id: staffId, assigned_by: by })
    .onConflict((oc) =>
      oc.column('contact_id').doUpdateSet({ assignee_staff_id: staffId, assigned_by: by, updated_at: new Date() }),
    )
    .execute();
}

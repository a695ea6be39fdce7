/**
 * Demo data for a first `npm start`: one business with its time zone, two staff members with working
 * hours, three services (fixed and hourly, automatic and manual billing), a membership plan and two contacts. Runs only on
 * an empty database, inside one transaction, so a second start reuses what is there.
 */
import type { Kysely } from 'kysely';
import { createStaffAccount } from '../staff/accounts';
import type { Database } from './schema';

export const DEMO_TIME_ZONE = 'America/New_York';

/** Demo sign-ins for the admin web app (only ever seeded into a fresh, empty database). */
export const DEMO_ADMIN = { email: 'admin@maplestreet.example', name: 'Avery Chen', password: 'maple-street-admin' };
export const DEMO_TECHNICIAN = {
  email: 'jordan@maplestreet.example',
  name: 'Jordan Patel',
  password: 'maple-street-technician',
};

export async function seedDemoData(db: Kysely<Database>): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('business').select('id').executeTakeFirst();
    if (existing) return false;

    const [avery, jordan] = await trx
      .insertInto('staff')
      .values([
        {
          name: 'Avery Chen',
          email: 'avery@maplestreet.example',
          phone: '+12125550101',
          role: 'admin',
          time_zone: DEMO_TIME_ZONE,
        },
        {
          name: 'Jordan Patel',
          email: 'jordan@maplestreet.example',
          phone: '+12125550102',
          role: 'technician',
          time_zone: DEMO_TIME_ZONE,
        },
      ])
      .returning(['id', 'name'])
      .execute();
    if (!avery || !jordan) throw new Error('seeding staff failed');

    await trx
      .insertInto('business')
      .values({
        name: 'Maple Street Studio',
        time_zone: DEMO_TIME_ZONE,
        currency: 'USD',
        tax_rate_bps: 800,
        email: 'hello@maplestreet.example',
        phone: '+12125550100',
        address: '12 Maple Street, Brooklyn, NY 11201',
        billing_owner_staff_id: avery.id,
        brand_color: '#2f6b3f',
        country: 'US',
        customer_policy:
          'Free to reschedule or cancel up to 24 hours before. Later changes or a missed visit may be charged.',
      })
      .execute();

    const services = await trx
      .insertInto('services')
      .values([
        {
          slug: 'consultation',
          name: 'Consultation',
          description: 'A 30-minute conversation about what you need.',
          duration_minutes: 30,
          currency: 'USD',
          pricing: 'fixed',
          price_minor: 6000,
          billing_policy: 'auto',
        },
        {
          slug: 'deep-tissue-massage',
          name: 'Deep Tissue Massage',
          description: 'Sixty minutes of focused work on tight muscles.',
          duration_minutes: 60,
          buffer_after_minutes: 15,
          currency: 'USD',
          pricing: 'fixed',
          price_minor: 11000,
          billing_policy: 'auto',
        },
        {
          slug: 'on-site-repair',
          name: 'On-site Repair',
          description: 'A technician comes to you; billed by the quarter hour.',
          duration_minutes: 120,
          buffer_before_minutes: 30,
          buffer_after_minutes: 30,
          slot_interval_minutes: 30,
          min_notice_minutes: 24 * 60,
          currency: 'USD',
          pricing: 'hourly',
          hourly_rate_minor: 9000,
          billing_increment_minutes: 15,
          billing_policy: 'manual',
          location: 'customer',
        },
      ])
      .returning(['id', 'slug'])
      .execute();
    const bySlug = new Map(services.map((s) => [s.slug, s.id]));
    const id = (slug: string): string => {
      const found = bySlug.get(slug);
      if (!found) throw new Error(`seeding service ${slug} failed`);
      return found;
    };

    await trx
      .insertInto('staff_services')
      .values([
        { staff_id: avery.id, service_id: id('consultation') },
        { staff_id: avery.id, service_id: id('deep-tissue-massage') },
        { staff_id: jordan.id, service_id: id('consultation') },
        { staff_id: jordan.id, service_id: id('on-site-repair') },
      ])
      .execute();

    // A membership plan (issue 5): five massages within six months, bought once, booked by certificate.
    const plan = await trx
      .insertInto('membership_plans')
      .values({
        name: 'Massage 5-pack',
        description: 'Five Deep Tissue Massages within six months.',
        visits_total: 5,
        validity_days: 180,
        price_minor: 49500,
        currency: 'USD',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('membership_plan_services')
      .values({ plan_id: plan.id, service_id: id('deep-tissue-massage') })
      .execute();

    const weekdays = (staffId: string, days: number[], start: string, end: string) =>
      days.map((weekday) => ({ staff_id: staffId, weekday, start_time: start, end_time: end }));
    await trx
      .insertInto('availability_rules')
      .values([
        ...weekdays(avery.id, [1, 2, 3, 4, 5], '09:00', '17:00'),
        ...weekdays(jordan.id, [2, 3, 4, 5, 6], '10:00', '18:00'),
      ])
      .execute();

    const now = new Date();
    await trx
      .insertInto('contacts')
      .values([
        {
          name: 'Sam Rivera',
          email: 'sam.rivera@example.com',
          phone: '+12125550123',
          time_zone: DEMO_TIME_ZONE,
          address: '48 Pine Avenue, Brooklyn, NY 11205',
          notes: 'Prefers morning appointments. Allergic to lavender oil.',
          sms_opt_in: true,
          sms_opt_in_at: now,
          sms_opt_in_source: 'seed',
        },
        {
          name: 'Morgan Lee',
          email: 'morgan.lee@example.com',
          phone: '+14155550188',
          time_zone: 'America/Los_Angeles',
          address: null,
          notes: '',
          sms_opt_in: false,
        },
      ])
      .execute();

    // Admin web app sign-in (README gives these): the owner as admin, Jordan as a technician.
    await createStaffAccount(trx, { ...DEMO_ADMIN, role: 'admin', staffId: avery.id });
    await createStaffAccount(trx, { ...DEMO_TECHNICIAN, role: 'technician', staffId: jordan.id });
    return true;
  });
}

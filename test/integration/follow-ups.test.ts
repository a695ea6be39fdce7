/**
 * Follow-ups through HTTP with the dev server, the database and the real activities (issue 16): the
 * service's "book again" setting is validated and saved by the services API; the deliver task takes a
 * service report (its photos only from this customer's conversation, else 422 naming the field); the
 * receipt carries the report; the workflow then waits for "book again" at the visit's end plus the weeks
 * (the timer firing, and its cancellation by a new booking, are in test/workflows/follow-ups.test.ts).
 */
import { createApiKey } from '../../src/auth/api-keys';
import { DAY_MS } from '../../src/domain/durations';
import { stateQuery } from '../../workflows/appointment/messages';
import {
  api,
  bookByPhone,
  eventually,
  freeSlots,
  serviceIdBySlug,
  startService,
  startSystem,
  type System,
} from '../support/system';

jest.setTimeout(120_000);

let system: System;
let auth: Record<string, string>;
beforeAll(async () => {
  system = await startSystem();
  auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Back office')).key}` };
});
afterAll(async () => {
  await system?.stop();
});

interface Refusal {
  error: { code: string; fields: Array<{ field: string; message: string }> };
}

async function attachment(contactId: string, filename: string, contentType = 'image/jpeg'): Promise<string> {
  const row = await system.database.db
    .insertInto('conversation_attachments')
    .values({
      contact_id: contactId,
      filename,
      content_type: contentType,
      size_bytes: 4,
      sha256: 'x',
      storage_key: `${contactId}/${filename}`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

it('book again is set per service (validated); the service report goes with the receipt; book again waits its weeks', async () => {
  const consultation = await serviceIdBySlug(system, 'consultation');
  const bad = await api<Refusal>(
    system,
    'PATCH',
    `/api/admin/services/${consultation}`,
    { lifecyclePolicy: { bookAgainWeeks: 0 } },
    auth,
  );
  expect(bad.status).toBe(400);
  expect(bad.body.error.fields).toEqual([
    { field: 'lifecyclePolicy.bookAgainWeeks', message: 'bookAgainWeeks must be at least 1 week' },
  ]);
  const set = await api<{ service: { lifecyclePolicy: Record<string, unknown> } }>(
    system,
    'PATCH',
    `/api/admin/services/${consultation}`,
    // The feedback request at once, so the run reaches the book-again timer within the test.
    { lifecyclePolicy: { bookAgainWeeks: 6, feedbackDelayHours: 0 } },
    auth,
  );
  expect(set.status).toBe(200);
  expect(set.body.service.lifecyclePolicy).toMatchObject({ bookAgainWeeks: 6 });

  const slot = (await freeSlots(system, consultation, 2, 9))[0]!;
  const { id: appointmentId, workflowId } = await bookByPhone(system, auth, {
    serviceId: consultation,
    slot,
    customer: { name: 'Dana Whit', email: 'dana.whit@example.com' },
  });
  const { contact_id: contactId, ends_at: endsAt } = await system.database.db
    .selectFrom('appointments')
    .select(['contact_id', 'ends_at'])
    .where('id', '=', appointmentId)
    .executeTakeFirstOrThrow();
  await system.database.db
    .updateTable('contacts')
    .set({ default_payment_method_id: 'pm_card_visa', card_brand: 'visa', card_last4: '4242' })
    .where('id', '=', contactId)
    .execute();
  const before = await attachment(contactId, 'before.jpg');
  const manual = await attachment(contactId, 'manual.pdf', 'application/pdf');
  const someoneElse = await system.database.db
    .selectFrom('contacts')
    .select('id')
    .where('id', '!=', contactId)
    .executeTakeFirstOrThrow();
  const theirs = await attachment(someoneElse.id, 'their-kitchen.jpg');

  const deliver = await eventually(() =>
    system.database.db
      .selectFrom('tasks')
      .select('id')
      .where('appointment_id', '=', appointmentId)
      .where('kind', '=', 'deliver_service')
      .executeTakeFirst(),
  );
  await startService(system, auth, appointmentId);
  const complete = (report: Record<string, unknown>) =>
    api<Refusal>(system, 'POST', `/api/tasks/${deliver.id}/complete`, { form: { report }, channel: 'in_person' }, auth);

  const empty = await complete({ summary: '  ' });
  expect(empty.status).toBe(400);
  expect(empty.body.error.fields).toEqual([{ field: 'form.report.summary', message: 'required' }]);
  // Another customer's photo, or a PDF, is not a photo of this visit.
  for (const photoIds of [[before, theirs], [manual]]) {
    const foreign = await complete({ summary: 'Done', photoIds });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.fields).toEqual([
      { field: 'form.report.photoIds', message: "must be images from this customer's conversation" },
    ]);
  }

  const done = await complete({
    summary: 'Checked the <whole> setup & tuned it',
    nextSteps: 'Come back in six weeks for the follow-up check.',
    photoIds: [before],
  });
  expect(done.status).toBe(200);

  const receipt = await eventually(() =>
    system.database.db
      .selectFrom('messages')
      .select(['body', 'html'])
      .where('appointment_id', '=', appointmentId)
      .where('template', '=', 'receipt')
      .where('channel', '=', 'email')
      .executeTakeFirst(),
  );
  expect(receipt.body).toContain('SERVICE REPORT');
  expect(receipt.body).toContain('Checked the <whole> setup & tuned it');
  expect(receipt.body).toContain('Come back in six weeks for the follow-up check.');
  expect(receipt.body).toContain('Photos: before.jpg');
  expect(receipt.body).toContain(`${system.baseUrl}/account`);
  expect(receipt.html).toContain('Checked the &lt;whole&gt; setup &amp; tuned it');
  expect(receipt.body).not.toContain('their-kitchen');

  const handle = system.env.client.workflow.getHandle(workflowId);
  const waiting = await eventually(async () => (await handle.query(stateQuery)).bookAgain);
  expect(waiting).toEqual({ state: 'waiting', at: endsAt.getTime() + 6 * 7 * DAY_MS });
});

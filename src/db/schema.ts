/**
 * Typed view of the tables created by the migrations, for Kysely. Keep in step with `migrations/`.
 * Timestamps read as Date and are written as Date or ISO strings; bigint money reads as number (both
 * drivers are configured so); jsonb is written as a JSON string and read as the parsed value.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { MembershipStage, PipelineStage, ServiceStatus } from '../domain/stages';
import type { CancellationPolicy } from '../domain/cancellation-policy';
import type { DepositPolicy } from '../domain/deposit-policy';

export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
export type Json<T> = ColumnType<T, string, string>;
export type JsonDefault<T> = ColumnType<T, string | undefined, string>;

export { MEMBERSHIP_STAGES, PIPELINE_STAGES, SERVICE_STATUSES } from '../domain/stages';
export type { MembershipStage, PipelineStage, ServiceStatus } from '../domain/stages';

export type StaffRole = 'admin' | 'staff' | 'technician';
export type Pricing = 'fixed' | 'hourly';
export type BillingPolicy = 'manual' | 'auto';
export type TaskKind =
  'deliver_service' | 'charge_customer' | 'reach_out' | 'payment_follow_up' | 'unmatched_event' | 'other';
export type TaskStatus = 'open' | 'done' | 'cancelled';
export type MessageChannel = 'email' | 'sms' | 'slack' | 'whatsapp';
/** The text channel a customer prefers besides email (migration 0049); `email`: email only. */
export type PreferredChannel = 'email' | 'sms' | 'whatsapp';
export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'bounced' | 'failed' | 'suppressed';
export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';
/** How a payment credited on an invoice was taken (migration 0050). */
export type InvoicePaymentMethod = 'card' | 'pay_link' | 'deposit' | 'cash' | 'cheque' | 'bank_transfer' | 'other';
export type PaymentStatus = 'pending' | 'succeeded' | 'declined' | 'requires_action' | 'failed';
export type InboundEventStatus = 'received' | 'processed' | 'duplicate' | 'rejected' | 'unmatched' | 'failed';

export interface BusinessTable {
  id: ColumnType<number, number | undefined, never>;
  name: string;
  time_zone: string;
  currency: string;
  tax_rate_bps: ColumnType<number, number | undefined, number>;
  email: string;
  phone: string | null;
  address: string | null;
  billing_owner_staff_id: string | null;
  /** Customer-page identity (migration 0025). */
  logo_url: string | null;
  brand_color: Generated<string>;
  /** ISO 3166-1 alpha-2: phone numbers typed in national form belong to this country. */
  country: Generated<string>;
  /** Shown to customers when they book and on their manage page (cancellation, lateness…). */
  customer_policy: Generated<string>;
  /** The language customer pages and messages use when the contact has none ("en", "es"). */
  default_locale: Generated<string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface StaffTable {
  id: Generated<string>;
  name: string;
  email: string;
  phone: string | null;
  role: StaffRole;
  time_zone: string;
  password_hash: string | null;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** 0030_staff_management: the calendar colour, `#rrggbb`. */
  colour: string | null;
}

/** 0030_staff_management: an invitation to set a password (token kept as its SHA-256). */
export interface StaffInvitationsTable {
  id: Generated<string>;
  staff_id: string;
  token_hash: string;
  email: string;
  created_by: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
}

export interface ServicesTable {
  id: Generated<string>;
  slug: string;
  name: string;
  description: Generated<string>;
  duration_minutes: number;
  buffer_before_minutes: Generated<number>;
  buffer_after_minutes: Generated<number>;
  slot_interval_minutes: Generated<number>;
  min_notice_minutes: Generated<number>;
  booking_horizon_days: Generated<number>;
  currency: string;
  pricing: Pricing;
  price_minor: Generated<number>;
  hourly_rate_minor: Generated<number>;
  billing_increment_minutes: Generated<number>;
  billing_policy: Generated<BillingPolicy>;
  tax_rate_bps: number | null;
  lifecycle_policy: JsonDefault<Record<string, unknown>>;
  active: Generated<boolean>;
  /** Where it takes place: at the business, or at the customer's address (migration 0025). */
  location: Generated<ServiceLocation>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** Whether booking asks for a card saved for off-session charges (migration 0051). */
  card_at_booking: Generated<CardAtBooking>;
  /** Late-cancel window and fee, no-show fee (migration 0053; src/domain/cancellation-policy.ts); NULL: none. */
  cancellation_policy: ColumnType<CancellationPolicy | null, string | null | undefined, string | null>;
  /** Deposit taken at booking (migration 0057; src/domain/deposit-policy.ts); NULL: none. */
  deposit_policy: ColumnType<DepositPolicy | null, string | null | undefined, string | null>;
  /** What the customer is asked to send before the visit (migration 0061); NULL: nothing. */
  files_request: ColumnType<string | null, string | null | undefined, string | null>;
}

export type ServiceLocation = 'business' | 'customer';
export type CardAtBooking = 'required' | 'optional' | 'none';

export interface StaffServicesTable {
  staff_id: string;
  service_id: string;
}

export interface AvailabilityRulesTable {
  id: Generated<string>;
  staff_id: string;
  /** ISO weekday, 1 = Monday … 7 = Sunday, in the staff member's time zone. */
  weekday: number;
  /** 'HH:MM[:SS]' wall-clock time in the staff member's time zone. */
  start_time: string;
  end_time: string;
}

export interface TimeOffTable {
  id: Generated<string>;
  staff_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  reason: Generated<string>;
}

export interface ContactsTable {
  id: Generated<string>;
  name: string;
  email: string;
  phone: string | null;
  time_zone: string | null;
  address: string | null;
  notes: Generated<string>;
  sms_opt_in: Generated<boolean>;
  sms_opt_in_at: Timestamp | null;
  sms_opt_in_source: string | null;
  sms_opted_out_at: Timestamp | null;
  sms_opt_out_source: string | null;
  email_bounced_at: Timestamp | null;
  stripe_customer_id: string | null;
  default_payment_method_id: string | null;
  card_brand: string | null;
  card_last4: string | null;
  /** A permanent SMS failure (invalid number, unreachable): no further SMS until a staff member clears it. */
  sms_failed_at: Timestamp | null;
  sms_failed_reason: string | null;
  email_bounce_reason: string | null;
  /** The contact's language for messages ("en", "es"); NULL: the business default (migration 0026). */
  locale: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** The customer's own notes, edited in the portal (migration 0055). */
  client_notes: Generated<string>;
  // 0049_whatsapp
  preferred_channel: PreferredChannel | null;
  whatsapp_opt_in: Generated<boolean>;
  whatsapp_opt_in_at: Timestamp | null;
  whatsapp_opt_in_source: string | null;
  whatsapp_opted_out_at: Timestamp | null;
  whatsapp_opt_out_source: string | null;
}

/** When a WhatsApp number last wrote to us: the 24-hour customer-service window (migration 0049). */
export interface WhatsappWindowsTable {
  address: string;
  last_inbound_at: Timestamp;
}

export interface MembershipPlansTable {
  id: Generated<string>;
  name: string;
  visits_total: number | null;
  validity_days: number;
  price_minor: number;
  currency: string;
  active: Generated<boolean>;
  created_at: CreatedAt;
  // 0002_memberships
  description: Generated<string>;
  late_cancel_hours: Generated<number>;
  late_cancel_forfeits: Generated<boolean>;
  no_show_forfeits: Generated<boolean>;
  expiry_reminder_days: Generated<number>;
}

export interface MembershipPlanServicesTable {
  plan_id: string;
  service_id: string;
}

export interface MembershipsTable {
  id: Generated<string>;
  plan_id: string;
  contact_id: string;
  certificate_number: string;
  visits_total: number | null;
  visits_used: Generated<number>;
  valid_from: Timestamp;
  valid_until: Timestamp;
  stage: Generated<MembershipStage>;
  workflow_id: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  // 0002_memberships
  visits_forfeited: Generated<number>;
  visits_returned: Generated<number>;
  time_zone: Generated<string>;
  purchase_key: string | null;
  expired_at: Timestamp | null;
  workflow_started_at: Timestamp | null;
  // 0013_membership_plan_terms: the plan's name and price as sold (null only for rows written by hand)
  plan_name: string | null;
  price_minor: number | null;
  currency: string | null;
}

export interface AppointmentsTable {
  id: Generated<string>;
  contact_id: string;
  staff_id: string;
  service_id: string;
  membership_id: string | null;
  starts_at: Timestamp;
  ends_at: Timestamp;
  blocked_from: Timestamp;
  blocked_until: Timestamp;
  /** Generated tstzrange over the blocked interval; the exclusion constraint works on it. */
  during: ColumnType<string, never, never>;
  time_zone: string;
  status: Generated<ServiceStatus>;
  stage: Generated<PipelineStage>;
  price_minor: number;
  currency: string;
  billable_minutes: number | null;
  client_note: Generated<string>;
  public_notes: Generated<string>;
  internal_notes: Generated<string>;
  source: string;
  external_refs: JsonDefault<Record<string, string>>;
  workflow_id: string;
  /** Set once the workflow is known to exist; rows left NULL are started by the reconciler. */
  workflow_started_at: Timestamp | null;
  revision: Generated<number>;
  cancelled_at: Timestamp | null;
  cancel_reason: string | null;
  /** A card given at booking for this visit only (migration 0052): an unproven caller's, off the contact's file. */
  booking_customer_id: string | null;
  booking_payment_method_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  // The terms frozen at booking (migration 0009); NULL: not frozen, read from the service.
  lifecycle_policy: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  billing_policy: BillingPolicy | null;
  billing_increment_minutes: number | null;
  pricing: Pricing | null;
  hourly_rate_minor: number | null;
  tax_rate_bps: number | null;
  /** The booking request's idempotency key (scope and key, hashed; migration 0015). */
  request_key: ColumnType<string | null, string | null | undefined, string | null>;
  // 0047_appointment_series
  series_id: ColumnType<string | null, string | null | undefined, string | null>;
  series_index: ColumnType<number | null, number | null | undefined, number | null>;
  /** The service's cancellation policy frozen at booking (migration 0053); NULL: booked without one, no fee. */
  cancellation_policy: ColumnType<CancellationPolicy | null, string | null | undefined, string | null>;
}

export interface TasksTable {
  id: Generated<string>;
  appointment_id: string | null;
  membership_id: string | null;
  kind: TaskKind;
  title: string;
  assignee_staff_id: string | null;
  status: Generated<TaskStatus>;
  due_at: Timestamp | null;
  form_result: Json<Record<string, unknown>> | null;
  completed_by: string | null;
  completed_at: Timestamp | null;
  idempotency_key: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface MessageAttachment {
  filename: string;
  contentType: string;
  /** base64 */
  content: string;
}

export interface MessagesTable {
  id: Generated<string>;
  appointment_id: string | null;
  membership_id: string | null;
  contact_id: string | null;
  staff_id: string | null;
  channel: MessageChannel;
  template: string;
  recipient: string;
  subject: string | null;
  body: string;
  html: string | null;
  attachments: JsonDefault<MessageAttachment[]>;
  status: Generated<MessageStatus>;
  provider: string;
  provider_message_id: string | null;
  error: string | null;
  idempotency_key: string;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
  /** Set just before the provider call (migration 0014); see src/messaging/dispatch.ts. */
  send_started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  updated_at: UpdatedAt;
  /** Named values for a WhatsApp template (migration 0049); see src/messaging/whatsapp.ts. */
  template_values: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
}

export interface InvoiceLine {
  description: string;
  quantity: number;
  unitMinor: number;
  amountMinor: number;
  /** What the line is (issue 13); absent on lines written before: the service line. */
  kind?: 'service' | 'part' | 'time' | 'fee' | 'discount' | 'other';
  /** Whether the invoice's tax rate applies to the line; absent: taxed. */
  taxable?: boolean;
}

export interface InvoicesTable {
  id: Generated<string>;
  appointment_id: string | null;
  membership_id: string | null;
  contact_id: string;
  number: Generated<number>;
  currency: string;
  lines: JsonDefault<InvoiceLine[]>;
  subtotal_minor: Generated<number>;
  tax_rate_bps: Generated<number>;
  tax_minor: Generated<number>;
  total_minor: Generated<number>;
  status: Generated<InvoiceStatus>;
  issued_at: Timestamp | null;
  paid_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  // 0050_invoice_ledger
  voided_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  uncollectible_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  status_note: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface InvoicePaymentsTable {
  id: Generated<string>;
  invoice_id: string;
  method: InvoicePaymentMethod;
  amount_minor: number;
  currency: string;
  gateway: 'stripe' | 'simulated' | null;
  provider_payment_id: string | null;
  reference: string | null;
  recorded_by: string;
  received_at: Timestamp;
  idempotency_key: string;
  created_at: CreatedAt;
}

export interface InvoiceRefundsTable {
  id: Generated<string>;
  invoice_id: string;
  payment_id: string;
  amount_minor: number;
  currency: string;
  status: Generated<'pending' | 'succeeded' | 'failed'>;
  gateway: 'stripe' | 'simulated' | null;
  provider_refund_id: string | null;
  reason: Generated<string>;
  requested_by: string;
  idempotency_key: string;
  error: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** What became of a deposit PaymentIntent the server created (migration 0062, src/payments/unbooked-deposits.ts). */
export type DepositIntentState = 'open' | 'booked' | 'refunding' | 'refunded' | 'refund_failed' | 'abandoned';

export interface DepositIntentsTable {
  id: Generated<string>;
  provider_payment_id: string;
  gateway: 'stripe' | 'simulated';
  service_id: string;
  email: string;
  name: string;
  amount_minor: number;
  currency: string;
  state: Generated<DepositIntentState>;
  appointment_id: string | null;
  provider_refund_id: string | null;
  error: string | null;
  task_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface PaymentAttemptsTable {
  id: Generated<string>;
  invoice_id: string;
  attempt: number;
  amount_minor: number;
  currency: string;
  status: Generated<PaymentStatus>;
  gateway: 'stripe' | 'simulated';
  provider_payment_id: string | null;
  decline_code: string | null;
  error: string | null;
  idempotency_key: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface TimelineEventsTable {
  id: Generated<number>;
  appointment_id: string | null;
  membership_id: string | null;
  contact_id: string | null;
  kind: string;
  actor: string;
  channel: string;
  summary: string;
  data: JsonDefault<Record<string, unknown>>;
  idempotency_key: string | null;
  occurred_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface InboundEventsTable {
  id: Generated<string>;
  provider: string;
  event_id: string;
  status: Generated<InboundEventStatus>;
  payload: JsonDefault<unknown>;
  outcome: string | null;
  received_at: CreatedAt;
  processed_at: Timestamp | null;
}

export interface ApiKeysTable {
  id: Generated<string>;
  name: string;
  prefix: string;
  key_hash: string;
  scopes: JsonDefault<string[]>;
  created_by_staff_id: string | null;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface ManageTokensTable {
  id: Generated<string>;
  appointment_id: string;
  token_hash: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  /** What the token opens (migration 0008): the manage / billing link, or the feedback form. */
  purpose: ColumnType<ManageTokenPurpose, ManageTokenPurpose | undefined, never>;
  /** Minted into a message to the contact's own email or phone (migration 0020); false for the booking answer's link. */
  proves_contact: ColumnType<boolean, boolean | undefined, never>;
}

export interface InboundIntegrationsTable {
  platform: string;
  enabled: Generated<boolean>;
  secrets: JsonDefault<Record<string, string>>;
  api_base: string | null;
  options: JsonDefault<Record<string, unknown>>;
  state: JsonDefault<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface IntegrationDeliveriesTable {
  id: Generated<string>;
  platform: string;
  vendor_event_id: string | null;
  received_at: CreatedAt;
  verified: boolean;
  duplicate: Generated<boolean>;
  event_type: string | null;
  external_id: string | null;
  appointment_id: string | null;
  outcome: Generated<string>;
  error: string | null;
  payload: Generated<string>;
  processed_at: Timestamp | null;
}

export interface ExternalLinksTable {
  platform: string;
  external_id: string;
  appointment_id: string;
  created_at: CreatedAt;
}

export type ConversationState = 'awaiting_cancel_confirmation' | 'choosing_slot';

/** A pending SMS / email reply conversation (C → YES, R → 1-3), one per channel and address. */
export interface ConversationsTable {
  channel: 'sms' | 'email' | 'whatsapp';
  address: string;
  contact_id: string;
  appointment_id: string | null;
  state: ConversationState;
  offered_slots: JsonDefault<Array<{ startsAt: number; staffId: string }>>;
  expires_at: Timestamp;
  updated_at: UpdatedAt;
}

/** A staff override of a message template (defaults live in src/messaging/template-registry.ts). */
export interface MessageTemplatesTable {
  event: string;
  channel: 'email' | 'sms';
  subject: string | null;
  body: string;
  updated_by: string;
  updated_at: UpdatedAt;
}

/** 0046_calendar_connections: a staff member's Google or Outlook calendar (src/calendars/). */
export interface CalendarConnectionsTable {
  id: Generated<string>;
  staff_id: string;
  provider: 'google' | 'microsoft';
  status: Generated<'pending' | 'connected' | 'error' | 'disconnected'>;
  state_hash: string | null;
  /** Encrypted (enc:v1:…), pending connections only. */
  code_verifier: string | null;
  account: string | null;
  /** Encrypted. */
  access_token: string | null;
  /** Encrypted. */
  refresh_token: string | null;
  access_expires_at: Timestamp | null;
  busy: JsonDefault<Array<{ start: number; end: number }>>;
  busy_from: Timestamp | null;
  busy_until: Timestamp | null;
  busy_fetched_at: Timestamp | null;
  busy_stale: Generated<boolean>;
  watch_id: string | null;
  /** Encrypted: Google channel token / Graph clientState. */
  watch_secret: string | null;
  watch_resource_id: string | null;
  watch_expires_at: Timestamp | null;
  last_error: string | null;
  connected_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** 0047_appointment_series: a recurring series; its occurrences are appointments with `series_id`. */
export interface AppointmentSeriesTable {
  id: Generated<string>;
  contact_id: string;
  service_id: string;
  staff_id: string;
  every: number;
  unit: 'day' | 'week' | 'month';
  occurrences: number;
  until_date: ColumnType<string | null, string | null | undefined, string | null>;
  time_zone: string;
  source: string;
  created_by: string;
  created_at: CreatedAt;
}

/** 0048_waitlist: who waits for what (src/waitlist/). */
export interface WaitlistEntriesTable {
  id: Generated<string>;
  contact_id: string;
  service_id: string;
  staff_id: string | null;
  from_date: ColumnType<string, string, string>;
  to_date: ColumnType<string, string, string>;
  /** ISO weekdays (1 = Monday); empty: any day. */
  weekdays: ColumnType<number[], number[] | undefined, number[]>;
  time_from: ColumnType<string, string | undefined, string>;
  time_to: ColumnType<string, string | undefined, string>;
  time_zone: string;
  status: Generated<'waiting' | 'booked' | 'left'>;
  source: string;
  created_by: string;
  appointment_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** 0048_waitlist: an offer of a freed slot; open (or being claimed) it holds the slot. */
/** Time freed by a staff change, waiting to be offered to the waitlist (src/waitlist/freed-time-outbox.ts). */
export interface FreedTimeTable {
  key: string;
  staff_id: string;
  /** The freed windows, epoch milliseconds: `[{ start, end }]`. */
  windows: ColumnType<Array<{ start: number; end: number }>, string, string>;
  created_at: CreatedAt;
  /** Taken by one dispatcher until then (a lease: one that died lets go when it runs out). */
  claimed_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  offered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface WaitlistOffersTable {
  id: Generated<string>;
  entry_id: string;
  workflow_id: string;
  staff_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  blocked_from: Timestamp;
  blocked_until: Timestamp;
  token_hash: string;
  status: Generated<'open' | 'claiming' | 'claimed' | 'expired'>;
  expires_at: Timestamp;
  appointment_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface Database {
  business: BusinessTable;
  staff: StaffTable;
  services: ServicesTable;
  staff_services: StaffServicesTable;
  availability_rules: AvailabilityRulesTable;
  time_off: TimeOffTable;
  contacts: ContactsTable;
  membership_plans: MembershipPlansTable;
  membership_plan_services: MembershipPlanServicesTable;
  memberships: MembershipsTable;
  appointments: AppointmentsTable;
  tasks: TasksTable;
  messages: MessagesTable;
  whatsapp_windows: WhatsappWindowsTable;
  invoices: InvoicesTable;
  payment_attempts: PaymentAttemptsTable;
  invoice_payments: InvoicePaymentsTable;
  invoice_refunds: InvoiceRefundsTable;
  deposit_intents: DepositIntentsTable;
  timeline_events: TimelineEventsTable;
  inbound_events: InboundEventsTable;
  api_keys: ApiKeysTable;
  manage_tokens: ManageTokensTable;
  inbound_integrations: InboundIntegrationsTable;
  integration_deliveries: IntegrationDeliveriesTable;
  external_links: ExternalLinksTable;
  conversations: ConversationsTable;
  message_templates: MessageTemplatesTable;
  events: EventsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  outbound_integrations: OutboundIntegrationsTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
  outbound_links: OutboundLinksTable;
  calendar_connections: CalendarConnectionsTable;
  appointment_series: AppointmentSeriesTable;
  waitlist_entries: WaitlistEntriesTable;
  waitlist_offers: WaitlistOffersTable;
  freed_time: FreedTimeTable;
  staff_accounts: StaffAccountsTable;
  staff_sessions: StaffSessionsTable;
  login_attempts: LoginAttemptsTable;
  feedback: FeedbackTable;
  service_slug_history: ServiceSlugHistoryTable;
  contact_pending_details: ContactPendingDetailsTable;
  customer_devices: CustomerDevicesTable;
  rate_limits: RateLimitsTable;
  idempotency_keys: IdempotencyKeysTable;
  staff_invitations: StaffInvitationsTable;
  customer_sign_in_challenges: CustomerSignInChallengesTable;
  customer_sessions: CustomerSessionsTable;
  conversation_messages: ConversationMessagesTable;
  conversation_attachments: ConversationAttachmentsTable;
  conversation_reads: ConversationReadsTable;
  conversation_assignments: ConversationAssignmentsTable;
}

export type Staff = Selectable<StaffTable>;
export type Service = Selectable<ServicesTable>;
export type Contact = Selectable<ContactsTable>;
export type Appointment = Selectable<AppointmentsTable>;
export type NewAppointment = Insertable<AppointmentsTable>;
export type AppointmentUpdate = Updateable<AppointmentsTable>;
export type Message = Selectable<MessagesTable>;
export type Task = Selectable<TasksTable>;
export type TimelineEvent = Selectable<TimelineEventsTable>;

// Outbound integrations and webhooks (migration 0006).
export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'skipped';
export type OutboundPlatform =
  'google_calendar' | 'microsoft_graph' | 'servicetitan' | 'zoho_crm' | 'hubspot' | 'mailchimp';

export interface EventsTable {
  id: Generated<string>;
  type: string;
  subject_type: string;
  subject_id: string;
  payload: JsonDefault<Record<string, unknown>>;
  source_key: string;
  occurred_at: ColumnType<Date, Date | string | undefined, never>;
  dispatched_at: Timestamp | null;
}

export interface WebhookSubscriptionsTable {
  id: Generated<string>;
  url: string;
  description: Generated<string>;
  event_types: JsonDefault<string[]>;
  secret: string;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  deleted_at: Timestamp | null;
}

export interface OutboundIntegrationsTable {
  platform: OutboundPlatform;
  enabled: Generated<boolean>;
  base_url: string;
  access_token: string;
  settings: JsonDefault<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface DeliveriesTable {
  id: Generated<string>;
  event_id: string;
  target: string;
  subscription_id: string | null;
  workflow_id: string;
  replay_of: string | null;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  last_status_code: number | null;
  last_error: string | null;
  outcome: string | null;
  created_at: CreatedAt;
  completed_at: Timestamp | null;
}

export interface DeliveryAttemptsTable {
  id: Generated<number>;
  delivery_id: string;
  attempt: number;
  started_at: Timestamp;
  status_code: number | null;
  latency_ms: number;
  ok: boolean;
  error: string | null;
}

export interface OutboundLinksTable {
  platform: string;
  appointment_id: string;
  external_id: string;
  data: JsonDefault<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** Admin web app sign-in (migration 0005). */
export interface StaffAccountsTable {
  id: Generated<string>;
  email: string;
  name: string;
  role: StaffRole;
  /** The staff member this account is (required for technicians: they see their own day). */
  staff_id: string | null;
  password_hash: string;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface StaffSessionsTable {
  id_hash: string;
  account_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface LoginAttemptsTable {
  key: string;
  failures: Generated<number>;
  window_started_at: UpdatedAt;
  locked_until: Timestamp | null;
}

// Customer feedback (migration 0008).
export type ManageTokenPurpose = 'manage' | 'feedback';

export interface FeedbackTable {
  appointment_id: string;
  contact_id: string;
  rating: number;
  comment: ColumnType<string, string | undefined, never>;
  may_publish: ColumnType<boolean, boolean | undefined, never>;
  follow_up_task_id: string | null;
  created_at: CreatedAt;
}

// Former service slugs (migration 0010).
export interface ServiceSlugHistoryTable {
  slug: string;
  service_id: string;
  retired_at: UpdatedAt;
}

// Identity on public endpoints (migration 0020).
export interface PendingContactDetails {
  name?: string;
  phone?: string;
  smsOptIn?: boolean;
  address?: string;
  timeZone?: string;
}

export interface ContactPendingDetailsTable {
  id: Generated<string>;
  contact_id: string;
  appointment_id: string | null;
  details: ColumnType<PendingContactDetails, string, string>;
  channel: string;
  created_at: CreatedAt;
  applied_at: Timestamp | null;
  discarded_at: Timestamp | null;
}

export interface CustomerDevicesTable {
  token_hash: string;
  contact_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

// Rate limits shared by every replica (migration 0021).
export interface RateLimitsTable {
  key: string;
  hits: number;
  window_ends_at: Timestamp;
}

// Idempotency keys of the HTTP API (migration 0015).
export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  method: string;
  route: string;
  request_hash: string;
  response_status: number | null;
  response_body: ColumnType<unknown, string | null | undefined, string | null>;
  locked_until: Timestamp | null;
  created_at: CreatedAt;
  completed_at: Timestamp | null;
}

// The customer portal's sign-in and sessions (migration 0055).
export interface CustomerSignInChallengesTable {
  id: Generated<string>;
  contact_id: string;
  kind: 'link' | 'code';
  secret_hash: string;
  sent_to: string;
  failed_attempts: Generated<number>;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface CustomerSessionsTable {
  id_hash: string;
  contact_id: string;
  csrf_token: string;
  signed_in_by: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

// Conversations (migration 0056).
export interface ConversationMessagesTable {
  id: Generated<string>;
  contact_id: string;
  appointment_id: string | null;
  direction: 'from_customer' | 'from_staff';
  channel: string;
  author: string;
  body: string;
  created_at: CreatedAt;
  read_at: Timestamp | null;
}

export interface ConversationAttachmentsTable {
  id: Generated<string>;
  contact_id: string;
  message_id: string | null;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  created_at: CreatedAt;
}

// The staff Messages inbox (migration 0041).
export interface ConversationReadsTable {
  contact_id: string;
  account_id: string;
  read_at: Timestamp;
}

export interface ConversationAssignmentsTable {
  contact_id: string;
  assignee_staff_id: string | null;
  assigned_by: string;
  updated_at: Generated<Timestamp>;
}

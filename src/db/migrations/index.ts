/**
 * Every migration, in order. Listed explicitly (not read from the file system) so the list is the same
 * under tsx, jest and a compiled build. Never edit a migration that has shipped; add the next one.
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_initial';
import * as m0002 from './0002_memberships';
import * as m0003 from './0003_messaging';
import * as m0004 from './0004_integration_inbound';
import * as m0005 from './0005_staff_accounts';
import * as m0006 from './0006_outbound_webhooks';
import * as m0008 from './0008_feedback';
import * as m0009 from './0009_appointment_terms';
import * as m0010 from './0010_service_slug_history';
import * as m0012 from './0012_retention_indexes';
import * as m0014 from './0014_message_send_started';
import * as m0013 from './0013_membership_plan_terms';
import * as m0020 from './0020_contact_identity';
import * as m0021 from './0021_rate_limits';
import * as m0025 from './0025_business_identity';
import * as m0026 from './0026_contact_locale';
import * as m0035 from './0035_metrics_indexes';
import * as m0015 from './0015_idempotency_keys';
import * as m0040 from './0040_done_keeps_its_time';
import * as m0041 from './0041_conversation_inbox';
import * as m0030 from './0030_staff_management';
import * as m0031 from './0031_contact_search';
import * as m0045 from './0045_availability_busy_index';
import * as m0046 from './0046_calendar_connections';
import * as m0047 from './0047_appointment_series';
import * as m0048 from './0048_waitlist';
import * as m0050 from './0050_invoice_ledger';
import * as m0051 from './0051_card_at_booking';
import * as m0052 from './0052_appointment_booking_card';
import * as m0053 from './0053_cancellation_policy';
import * as m0055 from './0055_customer_portal';
import * as m0049 from './0049_whatsapp';
import * as m0056 from './0056_conversations';
import * as m0057 from './0057_service_deposits';
import * as m0060 from './0060_freed_time_outbox';
import * as m0061 from './0061_service_files_request';
import * as m0062 from './0062_deposit_intents';

const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_memberships': m0002,
  '0003_messaging': m0003,
  '0004_integration_inbound': m0004,
  '0005_staff_accounts': m0005,
  '0006_outbound_webhooks': m0006,
  '0008_feedback': m0008,
  '0009_appointment_terms': m0009,
  '0010_service_slug_history': m0010,
  '0012_retention_indexes': m0012,
  '0013_membership_plan_terms': m0013,
  '0014_message_send_started': m0014,
  '0020_contact_identity': m0020,
  '0021_rate_limits': m0021,
  '0025_business_identity': m0025,
  '0026_contact_locale': m0026,
  '0035_metrics_indexes': m0035,
  '0015_idempotency_keys': m0015,
  '0040_done_keeps_its_time': m0040,
  '0041_conversation_inbox': m0041,
  '0030_staff_management': m0030,
  '0031_contact_search': m0031,
  '0045_availability_busy_index': m0045,
  '0046_calendar_connections': m0046,
  '0047_appointment_series': m0047,
  '0048_waitlist': m0048,
  '0050_invoice_ledger': m0050,
  '0051_card_at_booking': m0051,
  '0052_appointment_booking_card': m0052,
  '0053_cancellation_policy': m0053,
  '0055_customer_portal': m0055,
  '0056_conversations': m0056,
  '0057_service_deposits': m0057,
  '0060_freed_time_outbox': m0060,
  '0061_service_files_request': m0061,
  '0062_deposit_intents': m0062,
  '0049_whatsapp': m0049,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

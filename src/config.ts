/**
 * The one place configuration is read: environment variables (and an optional `.env` file), validated
 * with zod. Every other module receives a typed `Config`; nothing else reads `process.env` for settings.
 * A bad value stops start-up with one line naming the variable and what is expected.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseBase64Key } from './secrets/cipher';
import { TEMPLATE_VALUE_NAMES } from './domain/whatsapp';

const port = (fallback: number) =>
  z.coerce
    .number({ error: 'expected a port number' })
    .int('expected a whole port number')
    .min(1, 'expected a port from 1 to 65535')
    .max(65535, 'expected a port from 1 to 65535')
    .default(fallback);

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * Approved WhatsApp templates (Twilio Content API) per message template key: the Content SID and, in
 * order, the named values that fill its {{1}}, {{2}}, … (src/domain/whatsapp.ts names them).
 */
const whatsappTemplates = z.record(
  z.string().min(1),
  z.object({
    contentSid: z.string().regex(/^HX[0-9a-fA-F]{32}$/, 'expected a Content SID (HX followed by 32 hex digits)'),
    variables: z
      .array(
        z.enum(TEMPLATE_VALUE_NAMES, {
          error: 'expected one of name, business, service, when, link, text',
        }),
      )
      .max(10)
      .default([]),
  }),
);
export type WhatsappTemplates = z.infer<typeof whatsappTemplates>;

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, 'expected host:port, e.g. localhost:7233')
  .optional()
  .or(z.literal('').transform(() => undefined));

export type TrustProxy = false | number | string[];

/** Rate limits (src/http/rate-limits.ts): at most `max` hits per `windowMs`, per subject. */
export const DEFAULT_RATE_LIMITS = {
  /** Sign-in attempts per account (email), from any address. */
  'signin.account': { max: 10, windowMs: 15 * 60_000 },
  /** Sign-in attempts per client address. */
  'signin.ip': { max: 30, windowMs: 15 * 60_000 },
  /** Sign-in attempts across all accounts (password spraying from many addresses). */
  'signin.global': { max: 300, windowMs: 15 * 60_000 },
  /** Public bookings per client address. */
  'booking.ip': { max: 30, windowMs: 60 * 60_000 },
  /** Public bookings per contact (email): no flood of confirmations to one inbox. */
  'booking.contact': { max: 10, windowMs: 60 * 60_000 },
  /** Membership purchases per client address and per contact. */
  'purchase.ip': { max: 10, windowMs: 60 * 60_000 },
  'purchase.contact': { max: 5, windowMs: 60 * 60_000 },
  /** Link endpoints (manage, feedback, certificate lookup) per client address. */
  'link.ip': { max: 300, windowMs: 15 * 60_000 },
  /** Changes through manage links per contact. */
  'link.contact': { max: 30, windowMs: 60 * 60_000 },
  /** The customer portal's sign-in codes (issue 16) per client address and per contact. */
  'portal.ip': { max: 20, windowMs: 15 * 60_000 },
  'portal.contact': { max: 5, windowMs: 15 * 60_000 },
};
export type RateLimitName = keyof typeof DEFAULT_RATE_LIMITS;
export type RateLimits = 'off' | Record<RateLimitName, { max: number; windowMs: number }>;

const WINDOW_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/**
 * RATE_LIMITS: unset for the defaults, `off` to disable (tests, or a gateway that limits instead), or
 * overrides such as `booking.ip=60/1h,signin.global=500/15m`. `{ error }`: what is wrong.
 */
export function parseRateLimits(value: string | undefined): RateLimits | { error: string } {
  const v = (value ?? '').trim();
  if (v === 'off') return 'off';
  const limits: Record<RateLimitName, { max: number; windowMs: number }> = { ...DEFAULT_RATE_LIMITS };
  for (const part of v ? v.split(',') : []) {
    const match = /^\s*([a-z.]+)=(\d+)\/(\d+)([smh])\s*$/.exec(part);
    const name = match?.[1] as RateLimitName | undefined;
    if (!match || !name || !(name in DEFAULT_RATE_LIMITS) || Number(match[2]) < 1 || Number(match[3]) < 1) {
      return {
        error: `expected off or name=max/window (window in s, m or h), e.g. booking.ip=60/1h; names: ${Object.keys(DEFAULT_RATE_LIMITS).join(', ')}`,
      };
    }
    limits[name] = { max: Number(match[2]), windowMs: Number(match[3]) * WINDOW_UNITS[match[4]!]! };
  }
  return limits;
}

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY: which proxies' X-Forwarded-For to believe for the client address (rate limits, logs).
 * Unset, empty or `false`: none (the address is the TCP peer's). A number: that many hops. Otherwise
 * addresses, CIDR ranges or the named ranges, comma-separated. `true` (trust anyone) is refused: any
 * client could then choose its own address. Undefined: not a valid value.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy | undefined {
  const v = (value ?? '').trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return hops >= 1 && hops <= 10 ? hops : undefined;
  }
  const parts = v.split(',').map((p) => p.trim());
  const valid = parts.every((p) => {
    if (NAMED_RANGES.has(p)) return true;
    const [address, prefix, ...rest] = p.split('/');
    if (rest.length || !address || isIP(address) === 0) return false;
    if (prefix === undefined) return true;
    const bits = Number(prefix);
    return /^\d+$/.test(prefix) && bits <= (isIP(address) === 4 ? 32 : 128);
  });
  return valid ? parts : undefined;
}

const schema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], { error: 'expected development, production or test' })
    .default('development'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'expected fatal, error, warn, info, debug, trace or silent',
    })
    .default('info'),
  HOST: z.string().min(1, 'expected an interface to listen on, e.g. 127.0.0.1').default('127.0.0.1'),
  PORT: port(3000),
  PUBLIC_BASE_URL: z.url({ error: 'expected an absolute http(s) URL, e.g. https://book.example.com' }).optional(),
  RATE_LIMITS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const parsed = parseRateLimits(v);
      if (typeof parsed === 'object' && 'error' in parsed) {
        ctx.addIssue({ code: 'custom', message: parsed.error });
        return z.NEVER;
      }
      return parsed;
    }),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const parsed = parseTrustProxy(v);
      if (parsed === undefined) {
        ctx.addIssue({
          code: 'custom',
          message:
            'expected false, a number of proxy hops (1-10), or a comma-separated list of proxy addresses / CIDR ranges (or loopback, linklocal, uniquelocal)',
        });
        return z.NEVER;
      }
      return parsed;
    }),
  DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATABASE_POOL_MAX: z.coerce
    .number({ error: 'expected a number' })
    .int()
    .min(1, 'expected at least 1')
    .max(200)
    .default(10),
  TEMPORAL_ADDRESS: hostPort,
  TEMPORAL_NAMESPACE: z.string().min(1, 'expected a namespace name').default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1, 'expected a task queue name').default('appointflow'),
  TEMPORAL_API_KEY: optionalString,
  TEMPORAL_TLS: bool(false),
  TEMPORAL_DEV_SERVER_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),
  TEMPORAL_UI_URL: z.url({ error: 'expected an absolute URL of the Temporal Web UI' }).optional(),
  WORKFLOW_BUNDLE_PATH: optionalString,
  SEED_DEMO_DATA: bool(true),
  // Operations (issue 19): metrics, tracing, log format, worker tuning — see docs/architecture.md "Operations".
  METRICS_TOKEN: optionalString,
  METRICS_DB_CACHE_MS: z.coerce.number({ error: 'expected milliseconds' }).int().min(0).default(15_000),
  METRICS_PORT: z.coerce
    .number({ error: 'expected a port number, or 0 for no metrics listener' })
    .int('expected a whole port number')
    .min(0, 'expected a port from 0 to 65535')
    .max(65535, 'expected a port from 0 to 65535')
    .default(9464),
  TEMPORAL_METRICS_ADDRESS: z
    .string()
    .regex(/^(auto|off|[A-Za-z0-9.\-[\]:]+:\d{1,5})$/, 'expected auto, off or host:port, e.g. 0.0.0.0:9465')
    .default('auto'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ error: 'expected the OTLP/HTTP endpoint, e.g. http://collector:4318' })
    .optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('appointflow'),
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json'], { error: 'expected auto, pretty or json' }).default('auto'),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce
    .number({ error: 'expected a number' })
    .int()
    .min(0)
    .max(1_000_000)
    .default(2000),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce
    .number({ error: 'expected a number' })
    .int()
    .min(2)
    .max(10_000)
    .default(40),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce
    .number({ error: 'expected a number' })
    .int()
    .min(1)
    .max(10_000)
    .default(100),
  WORKER_STICKY_QUEUE_TIMEOUT_MS: z.coerce
    .number({ error: 'expected milliseconds' })
    .int()
    .min(100, 'expected at least 100 ms')
    .default(10_000),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_\w+$/, 'expected a Stripe secret key (sk_test_… or sk_live_…)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  STRIPE_API_BASE: z.url({ error: 'expected a URL such as http://127.0.0.1:12111 (stripe-mock)' }).optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_\w+$/, 'expected a Stripe webhook signing secret (whsec_…)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  // The customer pages' Payment Element (issue 13): the publishable key, and where Stripe.js is loaded from.
  STRIPE_PUBLISHABLE_KEY: z
    .string()
    .regex(/^pk_(test|live)_\w+$/, 'expected a Stripe publishable key (pk_test_… or pk_live_…)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  STRIPE_JS_URL: z
    .url({ error: 'expected the URL of Stripe.js, e.g. https://js.stripe.com/v3/' })
    .default('https://js.stripe.com/v3/'),
  // Messaging providers (issue 8): each channel uses its real provider only when its keys are set.
  SENDGRID_API_KEY: optionalString,
  SENDGRID_FROM_EMAIL: z.email({ error: 'expected the sender address verified in SendGrid' }).optional(),
  SENDGRID_FROM_NAME: optionalString,
  SENDGRID_API_BASE: z.url({ error: 'expected a URL such as https://api.sendgrid.com' }).optional(),
  SENDGRID_EVENT_PUBLIC_KEY: optionalString,
  SENDGRID_EMAIL_ACTIVITY: bool(false),
  SENDGRID_SETTLE_SECONDS: z.coerce
    .number({ error: 'expected seconds' })
    .int('expected whole seconds')
    .min(1, 'expected at least 1 second')
    .max(3600, 'expected at most 3600 seconds')
    .default(120),
  SENDGRID_INBOUND_SECRET: optionalString,
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'expected a Twilio Account SID (AC followed by 32 hex digits)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_FROM_NUMBER: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 phone number such as +12125550123')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  TWILIO_MESSAGING_SERVICE_SID: z
    .string()
    .regex(/^MG[0-9a-fA-F]{32}$/, 'expected a Messaging Service SID (MG followed by 32 hex digits)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  TWILIO_API_BASE: z.url({ error: 'expected a URL such as https://api.twilio.com' }).optional(),
  TWILIO_WHATSAPP_FROM: z
    .string()
    .regex(
      /^(whatsapp:)?\+[1-9]\d{6,14}$/,
      'expected the WhatsApp sender as an E.164 number such as whatsapp:+14155238886',
    )
    .transform((v) => v.replace(/^whatsapp:/, ''))
    .optional()
    .or(z.literal('').transform(() => undefined)),
  TWILIO_WHATSAPP_TEMPLATES: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return {};
      let json: unknown;
      try {
        json = JSON.parse(v);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'expected JSON such as {"confirmation":{"contentSid":"HX…","variables":["name","when"]}}',
        });
        return z.NEVER;
      }
      const parsed = whatsappTemplates.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        ctx.addIssue({ code: 'custom', message: `${issue.path.join('.')}: ${issue.message}` });
        return z.NEVER;
      }
      return parsed.data;
    }),
  SLACK_BOT_TOKEN: optionalString,
  SLACK_CHANNEL: optionalString,
  SLACK_API_BASE: z.url({ error: 'expected a URL such as https://slack.com/api' }).optional(),
  OUTBOUND_RETRY_INITIAL_MS: z.coerce.number({ error: 'expected milliseconds' }).int().min(10).default(10_000),
  OUTBOUND_RETRY_MAX_INTERVAL_MS: z.coerce.number({ error: 'expected milliseconds' }).int().min(10).default(3_600_000),
  OUTBOUND_MAX_ATTEMPTS: z.coerce.number({ error: 'expected a number' }).int().min(1).max(100).default(18),
  OUTBOUND_DISPATCH_INTERVAL_MS: z.coerce.number({ error: 'expected milliseconds' }).int().min(50).default(2_000),
  INBOUND_RESCHEDULE_WAIT_MS: z.coerce.number({ error: 'expected milliseconds' }).int().min(100).default(3_600_000),
  RETENTION_DAYS: z.coerce
    .number({ error: 'expected a number of days' })
    .int('expected a whole number of days')
    .refine((d) => d === 0 || d >= 7, 'expected 0 (keep everything) or at least 7 days')
    .default(90),
  IDEMPOTENCY_LEASE_SECONDS: z.coerce
    .number({ error: 'expected seconds' })
    .int('expected whole seconds')
    .min(5, 'expected at least 5 seconds')
    .max(3600, 'expected at most 3600 seconds')
    .default(60),
  RETENTION_HOUR: z.coerce.number({ error: 'expected an hour 0–23' }).int().min(0).max(23).default(3),
  // Unbooked deposits (src/payments/unbooked-deposits.ts): refunded after this many minutes; swept every N minutes (0: no schedule).
  UNBOOKED_DEPOSIT_GRACE_MINUTES: z.coerce
    .number({ error: 'expected minutes' })
    .int('expected whole minutes')
    .min(15, 'expected at least 15 minutes')
    .max(7 * 24 * 60, 'expected at most a week (10080 minutes)')
    .default(120),
  UNBOOKED_DEPOSIT_SWEEP_MINUTES: z.coerce
    .number({ error: 'expected minutes' })
    .int('expected whole minutes')
    .min(0)
    .max(24 * 60, 'expected at most a day (1440 minutes)')
    .default(15),
  // Staff calendars (src/calendars/): OAuth clients of Google and Microsoft, and how long busy blocks are cached.
  GOOGLE_CLIENT_ID: optionalString,
  GOOGLE_CLIENT_SECRET: optionalString,
  GOOGLE_OAUTH_BASE: z.url({ error: 'expected a URL such as https://accounts.google.com' }).optional(),
  GOOGLE_TOKEN_BASE: z.url({ error: 'expected a URL such as https://oauth2.googleapis.com' }).optional(),
  GOOGLE_API_BASE: z.url({ error: 'expected a URL such as https://www.googleapis.com' }).optional(),
  MICROSOFT_CLIENT_ID: optionalString,
  MICROSOFT_CLIENT_SECRET: optionalString,
  MICROSOFT_TENANT: z.string().min(1).default('common'),
  MICROSOFT_LOGIN_BASE: z.url({ error: 'expected a URL such as https://login.microsoftonline.com' }).optional(),
  MICROSOFT_GRAPH_BASE: z.url({ error: 'expected a URL such as https://graph.microsoft.com/v1.0' }).optional(),
  CALENDAR_BUSY_TTL_SECONDS: z.coerce.number({ error: 'expected seconds' }).int().min(5).max(86_400).default(300),
  // Encryption of stored secrets (src/secrets/): the current key and older keys still readable.
  ATTACHMENTS_S3_BUCKET: optionalString,
  ATTACHMENTS_S3_ENDPOINT: z
    .url({ error: 'expected a URL such as https://s3.eu-central-1.amazonaws.com or http://127.0.0.1:9000' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  ATTACHMENTS_S3_REGION: z.string().min(1, 'expected a region such as us-east-1').default('us-east-1'),
  ATTACHMENTS_S3_ACCESS_KEY_ID: optionalString,
  ATTACHMENTS_S3_SECRET_ACCESS_KEY: optionalString,
  ATTACHMENTS_S3_FORCE_PATH_STYLE: bool(false),
  ATTACHMENTS_S3_PREFIX: optionalString,
  SECRETS_KEY: optionalString.refine(
    (v) => v === undefined || parseBase64Key(v) !== undefined,
    'expected base64 of 32 random bytes, e.g. from `openssl rand -base64 32`',
  ),
  SECRETS_OLD_KEYS: optionalString.refine(
    (v) => v === undefined || v.split(',').every((k) => k.trim() === '' || parseBase64Key(k) !== undefined),
    'expected comma-separated keys, each base64 of 32 bytes',
  ),
});

/** Variables whose value never appears in an error message. */
const SECRET_VARIABLES = new Set([
  'SECRETS_KEY',
  'SECRETS_OLD_KEYS',
  'GOOGLE_CLIENT_SECRET',
  'MICROSOFT_CLIENT_SECRET',
  'ATTACHMENTS_S3_SECRET_ACCESS_KEY',
]);

type Env = z.infer<typeof schema>;

/** Where conversation attachments are stored (src/conversations/storage.ts). */
export type AttachmentsConfig =
  | { kind: 'local'; dir: string }
  | {
      kind: 's3';
      bucket: string;
      /** Unset: AWS S3 itself. */
      endpoint: string | undefined;
      region: string;
      /** Unset: the AWS SDK's default credential chain. */
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
      /** Path-style URLs (http://host/bucket/key), as most S3-compatible servers want. */
      forcePathStyle: boolean;
      /** Key prefix inside the bucket, without a trailing slash; '' for none. */
      prefix: string;
    };

export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  http: {
    host: string;
    port: number;
    publicBaseUrl: string;
    /** Express `trust proxy`: false (trust none; the default), hop count, or proxy addresses/ranges. */
    trustProxy: TrustProxy;
    rateLimits: RateLimits;
  };
  dataDir: string;
  attachments: AttachmentsConfig;
  database: { kind: 'postgres'; url: string; poolMax: number } | { kind: 'pglite'; dataDir: string };
  temporal: {
    /** Unset: `npm start` runs a local dev server. */
    address: string | undefined;
    namespace: string;
    taskQueue: string;
    apiKey: string | undefined;
    tls: boolean;
    devServerPort: number;
    uiPort: number;
    uiUrl: string;
  };
  workflowBundlePath: string | undefined;
  seedDemoData: boolean;
  /** Operations (issue 19): see docs/architecture.md "Operations". */
  ops: OpsConfig;
  /** Unset: the simulated gateway with Stripe's test-card behaviour. */
  stripe: { secretKey: string; apiBase: string | undefined } | undefined;
  /** Signing secret of the Stripe webhook endpoint; unset: /webhooks/stripe answers 404. */
  stripeWebhookSecret: string | undefined;
  /** What the customer pages load for the Payment Element (only used with `stripe` set). */
  stripeJs: { publishableKey: string | undefined; url: string };
  /** Outbound deliveries (webhooks, platform sync): Temporal retry budget and the dispatcher's poll. */
  outbound: { retryInitialMs: number; retryMaxIntervalMs: number; maxAttempts: number; dispatchIntervalMs: number };
  /** Messaging providers (see src/messaging/from-config.ts); a channel without keys uses the local outbox. */
  messaging: MessagingConfig;
  /** Inbound integrations: how long a Calendly reschedule's cancel waits for its new booking. */
  inbound: { rescheduleWaitMs: number };
  /**
   * Pruning of delivery logs and expired records (src/retention/): days kept (0: keep everything, no
   * schedule) and the hour of the business day the daily schedule runs.
   */
  retention: { days: number; hour: number };
  /**
   * Deposits paid but never used for a booking (src/payments/unbooked-deposits.ts): refunded once older
   * than `graceMs`, by a schedule every `sweepMinutes` (0: no schedule).
   */
  unbookedDeposits: { graceMs: number; sweepMinutes: number };
  /**
   * Encryption of stored secrets (src/secrets/): SECRETS_KEY (unset outside production: a key
   * generated once into `keyFile`) and SECRETS_OLD_KEYS, still accepted for reading.
   */
  secrets: { key: Buffer | undefined; oldKeys: Buffer[]; keyFile: string };
  /** `Idempotency-Key` (src/http/idempotency.ts): how long a first request holds its key before a retry may run it again. */
  idempotency: { leaseMs: number };
  /** Staff calendars' busy times (src/calendars/): a provider without a client id cannot be connected. */
  calendars: CalendarsConfig;
}

export interface OpsConfig {
  /** When set, `/metrics` asks for `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /** How long the database gauges of `/metrics` are reused between scrapes. */
  metricsDbCacheMs: number;
  /** The standalone worker's metrics listener (`/metrics`); 0: none. */
  metricsPort: number;
  /** Bind address of the Temporal SDK's Prometheus exporter; `auto`: a free loopback port, served through `/metrics`. */
  temporalMetricsAddress: string | 'auto' | 'off';
  /** Tracing: spans exported by OTLP/HTTP to this endpoint; unset: off. */
  tracing: { otlpEndpoint: string; serviceName: string } | undefined;
  /** `pretty` for people, `json` for machines; `auto`: pretty on a terminal outside production. */
  logFormat: 'auto' | 'pretty' | 'json';
  worker: {
    maxCachedWorkflows: number;
    maxConcurrentWorkflowTaskExecutions: number;
    maxConcurrentActivityTaskExecutions: number;
    stickyQueueScheduleToStartTimeoutMs: number;
  };
}

export interface CalendarOAuthClient {
  clientId: string;
  clientSecret: string | undefined;
  /** Where the user consents (`…/o/oauth2/v2/auth`, `…/{tenant}/oauth2/v2.0/authorize`). */
  authorizeUrl: string;
  tokenUrl: string;
  apiBase: string;
  /** Google only: token revocation. */
  revokeUrl?: string;
}

export interface CalendarsConfig {
  google: CalendarOAuthClient | undefined;
  microsoft: CalendarOAuthClient | undefined;
  busyTtlMs: number;
}

export interface MessagingConfig {
  sendgrid:
    | {
        apiKey: string;
        fromEmail: string;
        fromName: string | undefined;
        apiBase: string | undefined;
        /** SENDGRID_EMAIL_ACTIVITY: the Email Activity API (a paid add-on) may be asked what went out. */
        activityLookup: boolean;
        /** The Event Webhook is configured (its `processed` events mark emails sent). */
        eventWebhook: boolean;
        /** SENDGRID_SETTLE_SECONDS: how long SendGrid's records may lag behind a send. */
        settleMs: number;
      }
    | undefined;
  /** Base64 (DER) ECDSA public key of the SendGrid Event Webhook; unset: /webhooks/sendgrid/events answers 404. */
  sendgridEventPublicKey: string | undefined;
  /** Secret path segment of the Inbound Parse URL; unset: /webhooks/sendgrid/inbound answers 404. */
  sendgridInboundSecret: string | undefined;
  /** Twilio credentials; `authToken` alone enables signature verification of the webhooks. */
  twilio:
    | {
        accountSid: string | undefined;
        authToken: string;
        from: { number: string } | { messagingServiceSid: string } | undefined;
        apiBase: string | undefined;
      }
    | undefined;
  slack: { botToken: string; channel: string; apiBase: string } | undefined;
  /** WhatsApp through Twilio's WhatsApp sender (with the Twilio account above); unset: the local outbox. */
  whatsapp: { from: string; templates: WhatsappTemplates } | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function readDotenv(cwd: string): Record<string, string> {
  const path = resolve(cwd, '.env');
  return existsSync(path) ? parseDotenv(readFileSync(path)) : {};
}

/** Validates the environment. Real environment variables win over `.env`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const merged = { ...readDotenv(cwd), ...env };
  const result = schema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      const got = merged[name];
      const shown = got !== undefined && !SECRET_VARIABLES.has(name);
      return `${name}: ${issue.message}${shown ? ` (got ${JSON.stringify(got)})` : ''}`;
    });
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = result.data;
  const dataDir = resolve(cwd, e.DATA_DIR);
  if (e.NODE_ENV === 'production' && !e.SECRETS_KEY) {
    throw new ConfigError(
      'Invalid configuration: SECRETS_KEY: required in production (base64 of 32 random bytes, e.g. from `openssl rand -base64 32`)',
    );
  }
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    http: {
      host: e.HOST,
      port: e.PORT,
      publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
      trustProxy: e.TRUST_PROXY,
      rateLimits: e.RATE_LIMITS,
    },
    dataDir,
    attachments: attachmentsConfig(e, dataDir),
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX }
      : { kind: 'pglite', dataDir: resolve(dataDir, 'pglite') },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      apiKey: e.TEMPORAL_API_KEY,
      tls: e.TEMPORAL_TLS,
      devServerPort: e.TEMPORAL_DEV_SERVER_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      uiUrl: (e.TEMPORAL_UI_URL ?? `http://localhost:${e.TEMPORAL_UI_PORT}`).replace(/\/$/, ''),
    },
    workflowBundlePath: e.WORKFLOW_BUNDLE_PATH ? resolve(cwd, e.WORKFLOW_BUNDLE_PATH) : undefined,
    seedDemoData: e.SEED_DEMO_DATA,
    ops: {
      metricsToken: e.METRICS_TOKEN,
      metricsDbCacheMs: e.METRICS_DB_CACHE_MS,
      metricsPort: e.METRICS_PORT,
      temporalMetricsAddress: e.TEMPORAL_METRICS_ADDRESS,
      tracing: e.OTEL_EXPORTER_OTLP_ENDPOINT
        ? { otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, ''), serviceName: e.OTEL_SERVICE_NAME }
        : undefined,
      logFormat: e.LOG_FORMAT,
      worker: {
        maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
        maxConcurrentWorkflowTaskExecutions: e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
        maxConcurrentActivityTaskExecutions: e.WORKER_MAX_CONCURRENT_ACTIVITIES,
        stickyQueueScheduleToStartTimeoutMs: e.WORKER_STICKY_QUEUE_TIMEOUT_MS,
      },
    },
    stripe: e.STRIPE_SECRET_KEY ? { secretKey: e.STRIPE_SECRET_KEY, apiBase: e.STRIPE_API_BASE } : undefined,
    stripeWebhookSecret: e.STRIPE_WEBHOOK_SECRET,
    stripeJs: { publishableKey: e.STRIPE_PUBLISHABLE_KEY, url: e.STRIPE_JS_URL },
    outbound: {
      retryInitialMs: e.OUTBOUND_RETRY_INITIAL_MS,
      retryMaxIntervalMs: e.OUTBOUND_RETRY_MAX_INTERVAL_MS,
      maxAttempts: e.OUTBOUND_MAX_ATTEMPTS,
      dispatchIntervalMs: e.OUTBOUND_DISPATCH_INTERVAL_MS,
    },
    messaging: messagingConfig(e),
    inbound: { rescheduleWaitMs: e.INBOUND_RESCHEDULE_WAIT_MS },
    retention: { days: e.RETENTION_DAYS, hour: e.RETENTION_HOUR },
    unbookedDeposits: {
      graceMs: e.UNBOOKED_DEPOSIT_GRACE_MINUTES * 60_000,
      sweepMinutes: e.UNBOOKED_DEPOSIT_SWEEP_MINUTES,
    },
    idempotency: { leaseMs: e.IDEMPOTENCY_LEASE_SECONDS * 1000 },
    secrets: {
      key: e.SECRETS_KEY ? parseBase64Key(e.SECRETS_KEY) : undefined,
      oldKeys: (e.SECRETS_OLD_KEYS ?? '')
        .split(',')
        .filter((k) => k.trim() !== '')
        .map((k) => parseBase64Key(k)!),
      keyFile: resolve(dataDir, 'secrets.key'),
    },
    calendars: calendarsConfig(e),
  };
}

function calendarsConfig(e: Env): CalendarsConfig {
  const trim = (url: string) => url.replace(/\/$/, '');
  const googleAuth = trim(e.GOOGLE_OAUTH_BASE ?? 'https://accounts.google.com');
  const googleToken = trim(e.GOOGLE_TOKEN_BASE ?? 'https://oauth2.googleapis.com');
  const login = `${trim(e.MICROSOFT_LOGIN_BASE ?? 'https://login.microsoftonline.com')}/${encodeURIComponent(e.MICROSOFT_TENANT)}`;
  return {
    google: e.GOOGLE_CLIENT_ID
      ? {
          clientId: e.GOOGLE_CLIENT_ID,
          clientSecret: e.GOOGLE_CLIENT_SECRET,
          authorizeUrl: `${googleAuth}/o/oauth2/v2/auth`,
          tokenUrl: `${googleToken}/token`,
          revokeUrl: `${googleToken}/revoke`,
          apiBase: trim(e.GOOGLE_API_BASE ?? 'https://www.googleapis.com'),
        }
      : undefined,
    microsoft: e.MICROSOFT_CLIENT_ID
      ? {
          clientId: e.MICROSOFT_CLIENT_ID,
          clientSecret: e.MICROSOFT_CLIENT_SECRET,
          authorizeUrl: `${login}/oauth2/v2.0/authorize`,
          tokenUrl: `${login}/oauth2/v2.0/token`,
          apiBase: trim(e.MICROSOFT_GRAPH_BASE ?? 'https://graph.microsoft.com/v1.0'),
        }
      : undefined,
    busyTtlMs: e.CALENDAR_BUSY_TTL_SECONDS * 1000,
  };
}

/** Local disk under DATA_DIR/attachments, or an S3-compatible bucket when ATTACHMENTS_S3_BUCKET is set. */
function attachmentsConfig(e: Env, dataDir: string): AttachmentsConfig {
  if (!e.ATTACHMENTS_S3_BUCKET) return { kind: 'local', dir: resolve(dataDir, 'attachments') };
  if (Boolean(e.ATTACHMENTS_S3_ACCESS_KEY_ID) !== Boolean(e.ATTACHMENTS_S3_SECRET_ACCESS_KEY)) {
    throw new ConfigError(
      'Invalid configuration: ATTACHMENTS_S3_ACCESS_KEY_ID and ATTACHMENTS_S3_SECRET_ACCESS_KEY: set both or neither (neither: the AWS default credentials)',
    );
  }
  return {
    kind: 's3',
    bucket: e.ATTACHMENTS_S3_BUCKET,
    endpoint: e.ATTACHMENTS_S3_ENDPOINT,
    region: e.ATTACHMENTS_S3_REGION,
    credentials:
      e.ATTACHMENTS_S3_ACCESS_KEY_ID && e.ATTACHMENTS_S3_SECRET_ACCESS_KEY
        ? { accessKeyId: e.ATTACHMENTS_S3_ACCESS_KEY_ID, secretAccessKey: e.ATTACHMENTS_S3_SECRET_ACCESS_KEY }
        : undefined,
    forcePathStyle: e.ATTACHMENTS_S3_FORCE_PATH_STYLE,
    prefix: e.ATTACHMENTS_S3_PREFIX?.replace(/\/+$/, '') ?? '',
  };
}

function messagingConfig(e: Env): MessagingConfig {
  const need = (name: string, because: string): never => {
    throw new ConfigError(`Invalid configuration: ${name}: required when ${because} is set`);
  };
  const sendgrid = e.SENDGRID_API_KEY
    ? {
        apiKey: e.SENDGRID_API_KEY,
        fromEmail: e.SENDGRID_FROM_EMAIL ?? need('SENDGRID_FROM_EMAIL', 'SENDGRID_API_KEY'),
        fromName: e.SENDGRID_FROM_NAME,
        apiBase: e.SENDGRID_API_BASE,
        activityLookup: e.SENDGRID_EMAIL_ACTIVITY,
        eventWebhook: Boolean(e.SENDGRID_EVENT_PUBLIC_KEY),
        settleMs: e.SENDGRID_SETTLE_SECONDS * 1000,
      }
    : undefined;
  let twilio: MessagingConfig['twilio'];
  if (e.TWILIO_AUTH_TOKEN) {
    if (e.TWILIO_ACCOUNT_SID && !e.TWILIO_FROM_NUMBER && !e.TWILIO_MESSAGING_SERVICE_SID) {
      need('TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID', 'TWILIO_ACCOUNT_SID');
    }
    twilio = {
      accountSid: e.TWILIO_ACCOUNT_SID,
      authToken: e.TWILIO_AUTH_TOKEN,
      from: e.TWILIO_MESSAGING_SERVICE_SID
        ? { messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID }
        : e.TWILIO_FROM_NUMBER
          ? { number: e.TWILIO_FROM_NUMBER }
          : undefined,
      apiBase: e.TWILIO_API_BASE,
    };
  } else if (e.TWILIO_ACCOUNT_SID) {
    need('TWILIO_AUTH_TOKEN', 'TWILIO_ACCOUNT_SID');
  }
  if (e.TWILIO_WHATSAPP_FROM && !twilio?.accountSid) need('TWILIO_ACCOUNT_SID', 'TWILIO_WHATSAPP_FROM');
  const whatsapp = e.TWILIO_WHATSAPP_FROM
    ? { from: e.TWILIO_WHATSAPP_FROM, templates: e.TWILIO_WHATSAPP_TEMPLATES }
    : undefined;
  const slack = e.SLACK_BOT_TOKEN
    ? {
        botToken: e.SLACK_BOT_TOKEN,
        channel: e.SLACK_CHANNEL ?? need('SLACK_CHANNEL', 'SLACK_BOT_TOKEN'),
        apiBase: (e.SLACK_API_BASE ?? 'https://slack.com/api').replace(/\/$/, ''),
      }
    : undefined;
  return {
    sendgrid,
    sendgridEventPublicKey: e.SENDGRID_EVENT_PUBLIC_KEY,
    sendgridInboundSecret: e.SENDGRID_INBOUND_SECRET,
    twilio,
    slack,
    whatsapp,
  };
}

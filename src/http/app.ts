/**
 * The Express application: health, API, webhooks and pages. Stateless: everything it knows comes from
 * the database and from Temporal, so any number of replicas can run behind a load balancer.
 */
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import { redactRequestForLog } from './log-redaction';
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { AppDatabase } from '../db/database';
import type { Logger } from '../logger';
import { errorHandler, notFound } from './errors';
import { healthRouter } from './health';
import { apiOperations, openApiDocument } from './openapi';
import { methodNotAllowed, securityHeaders } from './edge';
import { clientAddress, RateLimiter } from './rate-limits';
import { idempotencyKeys } from './idempotency';
import { appointmentsRouter } from './routes/appointments';
import { manageRouter } from './routes/manage';
import { membershipsRouter } from './routes/memberships';
import { manageBillingRouter } from './routes/manage-billing';
import { invoicesRouter } from './routes/invoices';
import { paymentsRouter } from './routes/payments';
import { managePayRouter } from './routes/manage-pay';
import { paymentGatewayFromConfig } from '../payments/from-config';
import type { PaymentGateway } from '../payments/gateway';
import { publicRouter } from './routes/public';
import { tasksRouter } from './routes/tasks';
import { messageTemplatesRouter } from './routes/message-templates';
import { stripeWebhookRouter } from './webhooks/stripe';
import { integrationWebhooksRouter } from './webhooks/integrations';
import { integrationsRouter } from './routes/integrations';
import { sendgridWebhookRouter } from './webhooks/sendgrid';
import { twilioWebhookRouter } from './webhooks/twilio';
import { outboundRouter } from './routes/outbound';
import { adminRouter } from './routes/admin';
import { adminChangesRouter } from './routes/admin-changes';
import { contactChannelsRouter } from './routes/contact-channels';
import { adminStaffRouter } from './routes/admin-staff';
import { technicianRouter } from './routes/technician';
import { adminServicesRouter } from './routes/admin-services';
import { membershipPlansRouter } from './routes/membership-plans';
import { localSmsRouter } from './routes/local-sms';
import { staffSessionRouter } from './routes/staff-session';
import { WEB_PAGE_PREFIXES, webRouter } from './web';
import { feedbackRouter } from './routes/feedback';
import { businessRouter } from './routes/business';
import { httpMetrics, metricsHandler } from '../metrics';
import { httpTracing } from '../tracing/http';
import { calendarConnectionsRouter } from './routes/calendar-connections';
import { seriesRouter } from './routes/series';
import { waitlistRouter } from './routes/waitlist';
import { portalSignInRouter } from './routes/portal-sign-in';
import { portalAccountRouter } from './routes/portal-account';
import { portalPaymentsRouter } from './routes/portal-payments';
import { inboxRouter } from './routes/inbox';
import { conversationsRouter } from './routes/conversations';

export interface AppDeps {
  config: Config;
  database: AppDatabase;
  temporal: Client;
  logger: Logger;
  /** Payment gateway for card updates; from configuration when unset. */
  payments?: PaymentGateway;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  // One gateway for every route: the simulated one keeps on-session intents in its instance.
  const paid = { ...deps, payments: deps.payments ?? paymentGatewayFromConfig(deps.config) };
  app.disable('x-powered-by');
  // Client addresses (rate limits, logs) from X-Forwarded-For only through the configured proxies.
  app.set('trust proxy', deps.config.http.trustProxy);
  app.use(httpTracing());
  app.use(httpMetrics());
  app.get(
    '/metrics',
    metricsHandler({
      db: deps.database.db,
      token: deps.config.ops.metricsToken,
      dbCacheMs: deps.config.ops.metricsDbCacheMs,
    }),
  );
  app.use(
    pinoHttp({
      logger: deps.logger,
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      // No credentials or URL-borne secrets in the request log (src/http/log-redaction.ts).
      serializers: { req: redactRequestForLog },
    }),
  );
  app.use(securityHeaders);
  app.use(methodNotAllowed(apiOperations(), WEB_PAGE_PREFIXES));
  // Webhooks verify signatures on the raw body, so they are mounted before the JSON parser.
  app.use(stripeWebhookRouter(paid));
  app.use(integrationWebhooksRouter(deps));
  app.use(twilioWebhookRouter(deps));
  app.use(sendgridWebhookRouter(deps));
  app.use(express.json({ limit: '100kb' }));
  app.use(healthRouter(deps));
  // Idempotency-Key on every API POST (src/http/idempotency.ts).
  app.use(idempotencyKeys({ db: deps.database.db, logger: deps.logger }, { leaseMs: deps.config.idempotency.leaseMs }));
  const openApi = openApiDocument();
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  // Link endpoints (manage, feedback, certificate lookup): per client address.
  const limiter = new RateLimiter(deps.database.db, deps.config.http.rateLimits);
  app.use(['/api/manage/', '/api/feedback/', '/api/memberships/certificates/'], async (req, res, next) => {
    await limiter.hit(res, [['link.ip', clientAddress(req)]]);
    next();
  });
  app.use(publicRouter(paid));
  app.use(businessRouter(deps));
  app.use(paymentsRouter(paid));
  app.use(manageRouter(deps));
  app.use(manageBillingRouter(paid));
  app.use(invoicesRouter(paid));
  app.use(managePayRouter(paid));
  app.use(appointmentsRouter(deps));
  app.use(tasksRouter(deps));
  app.use(integrationsRouter(deps));
  app.use(messageTemplatesRouter(deps));
  app.use(outboundRouter(deps));
  app.use(membershipsRouter(paid));
  app.use(staffSessionRouter(deps));
  app.use(adminRouter(deps));
  app.use(adminChangesRouter(deps));
  app.use(contactChannelsRouter(deps));
  app.use(adminStaffRouter(deps));
  app.use(technicianRouter(deps));
  app.use(feedbackRouter(deps));
  app.use(adminServicesRouter(deps));
  app.use(membershipPlansRouter(deps));
  app.use(localSmsRouter(deps));
  app.use(calendarConnectionsRouter(deps));
  app.use(seriesRouter(deps));
  app.use(waitlistRouter(deps));
  app.use(portalSignInRouter(deps));
  app.use(conversationsRouter(deps));
  app.use(portalPaymentsRouter(paid));
  app.use(inboxRouter(deps));
  app.use(portalAccountRouter(deps));
  app.use(webRouter(deps.config.stripe ? { stripeJsUrl: deps.config.stripeJs.url } : {}));
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}

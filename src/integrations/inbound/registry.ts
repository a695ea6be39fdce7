/** Every inbound platform appointflow understands, by the name used in `/webhooks/integrations/:platform`. */
import { acuity } from './adapters/acuity';
import { activeCampaign } from './adapters/activecampaign';
import { calendly } from './adapters/calendly';
import { freshdesk } from './adapters/freshdesk';
import { googleCalendar } from './adapters/google-calendar';
import { googleSheets } from './adapters/google-sheets';
import { hubspot } from './adapters/hubspot';
import { jobber } from './adapters/jobber';
import { microsoftGraph } from './adapters/microsoft-graph';
import { pipedrive } from './adapters/pipedrive';
import { quickbooks } from './adapters/quickbooks';
import { salesforce } from './adapters/salesforce';
import { serviceTitan } from './adapters/servicetitan';
import { square } from './adapters/square';
import { zendesk } from './adapters/zendesk';
import { zohoCrm } from './adapters/zoho-crm';
import type { InboundAdapter } from './types';

export const INBOUND_ADAPTERS: Readonly<Record<string, InboundAdapter>> = Object.fromEntries(
  [
    calendly,
    acuity,
    square,
    googleCalendar,
    microsoftGraph,
    hubspot,
    pipedrive,
    zendesk,
    freshdesk,
    zohoCrm,
    salesforce,
    quickbooks,
    activeCampaign,
    googleSheets,
    jobber,
    serviceTitan,
  ].map((a) => [a.platform, a]),
);

export const INBOUND_PLATFORMS = Object.keys(INBOUND_ADAPTERS);

export function adapterFor(platform: string): InboundAdapter | undefined {
  return Object.prototype.hasOwnProperty.call(INBOUND_ADAPTERS, platform) ? INBOUND_ADAPTERS[platform] : undefined;
}

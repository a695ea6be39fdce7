/**
 * What the request log may show of a request: credentials in headers (API keys, session cookies) and
 * secrets that some platforms send in the URL (ActiveCampaign's and Zoho's `?secret=`, SendGrid
 * Inbound Parse's path segment) are replaced by `[redacted]` before pino-http writes the line.
 */
const REDACTED = '[redacted]';
const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key'];
const SECRET_QUERY = /^(secret|token|access_token|key|api_key|password|signature|sig)$/i;

export function redactUrl(url: string): string {
  const [path = '', query] = url.split(/\?(.*)/s, 2);
  const safePath = path.replace(/^(\/webhooks\/sendgrid\/inbound\/)[^/]+/, `$1${REDACTED}`);
  if (query === undefined) return safePath;
  const safeQuery = query
    .split('&')
    .map((pair) => {
      const [name = '', value] = pair.split(/=(.*)/s, 2);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // keep the raw name
      }
      return value !== undefined && SECRET_QUERY.test(decoded) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${safePath}?${safeQuery}`;
}

interface SerializedRequest {
  url?: string;
  headers?: Record<string, unknown>;
  query?: unknown;
  params?: unknown;
  [key: string]: unknown;
}

/** pino-http `serializers.req`: the standard serialized request with its secrets redacted. */
export function redactRequestForLog(req: SerializedRequest): SerializedRequest {
  const headers = { ...(req.headers ?? {}) };
  for (const name of SECRET_HEADERS) if (name in headers) headers[name] = REDACTED;
  const out: SerializedRequest = { ...req, headers };
  if (typeof req.url === 'string') out.url = redactUrl(req.url);
  if (req.query && typeof req.query === 'object') {
    out.query = Object.fromEntries(
      Object.entries(req.query as Record<string, unknown>).map(([k, v]) => [k, SECRET_QUERY.test(k) ? REDACTED : v]),
    );
  }
  if (req.params && typeof req.params === 'object' && 'secret' in (req.params as object)) {
    out.params = { ...(req.params as object), secret: REDACTED };
  }
  return out;
}

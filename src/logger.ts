import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config';

export type { Logger };

export type LogFormat = 'pretty' | 'json';

/**
 * `LOG_FORMAT=auto` (the default): lines a person reads on a terminal during development, JSON lines
 * everywhere else (production, or output going to a file, a pipe or a log collector).
 */
export function logFormatFor(
  config: Pick<Config, 'env'> & { ops?: Pick<Config['ops'], 'logFormat'> },
  isTty: boolean,
): LogFormat {
  const setting = config.ops?.logFormat ?? 'auto';
  if (setting !== 'auto') return setting;
  return isTty && config.env !== 'production' ? 'pretty' : 'json';
}

/** `[component] message`, and for a request log line `GET /api/x → 200 in 12 ms`. */
function readableMessage(log: Record<string, unknown>, messageKey: string): string {
  const component = typeof log.component === 'string' ? `[${log.component}] ` : '';
  const req = log.req as { method?: string; url?: string } | undefined;
  const res = log.res as { statusCode?: number } | undefined;
  const message = typeof log[messageKey] === 'string' ? (log[messageKey] as string) : '';
  if (req?.method && res?.statusCode !== undefined) {
    const took = typeof log.responseTime === 'number' ? ` in ${Math.round(log.responseTime)} ms` : '';
    return `${component}${req.method} ${req.url ?? ''} → ${res.statusCode}${took}`;
  }
  return `${component}${message}`;
}

/**
 * One logger for the process; child loggers add the component name. Pretty output is written on this
 * thread (no transport worker), time first, then level, component and message, with fields below.
 */
export function createLogger(
  config: Pick<Config, 'logLevel'> & Partial<Pick<Config, 'env' | 'ops'>>,
  name = 'appointflow',
  output: { stream?: DestinationStream & NodeJS.WritableStream; isTty?: boolean } = {},
): Logger {
  const options = { name, level: config.logLevel, base: { service: name } };
  const stream = output.stream ?? process.stdout;
  const format = logFormatFor(
    { env: config.env ?? 'development', ops: config.ops },
    output.isTty ?? Boolean((stream as { isTTY?: boolean }).isTTY),
  );
  if (format === 'json') return output.stream ? pino(options, output.stream) : pino(options);
  return pino(
    options,
    pretty({
      destination: stream,
      colorize: output.isTty ?? Boolean((stream as { isTTY?: boolean }).isTTY),
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,service,name,component,req,res,responseTime',
      messageFormat: readableMessage,
      singleLine: true,
      sync: true,
    }),
  );
}

import pino, { type Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

/** One JSON logger for the process; child loggers add the component name. */
export function createLogger(config: Pick<Config, 'logLevel'>, name = 'appointflow'): Logger {
  return pino({ name, level: config.logLevel, base: { service: name } });
}

/**
 * The Temporal SDK's own metrics (worker task slots, schedule-to-start latencies, sticky cache size and
 * hits, polls, activity and workflow task failures…) come from its Rust core through the Runtime's
 * Prometheus exporter. `installTemporalRuntime` installs the Runtime once per process with that
 * exporter bound where configured (`TEMPORAL_METRICS_ADDRESS`; `auto`: a free loopback port), and
 * `/metrics` appends what it serves, so one scrape target carries both appointflow's and Temporal's.
 */
import { createServer } from 'node:net';
import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import type { Config } from '../config';

let coreMetricsUrl: string | undefined;

/** Where the Temporal core's Prometheus exporter answers, when installed. */
export function temporalCoreMetricsUrl(): string | undefined {
  return coreMetricsUrl;
}

/** For tests: serve another exporter's text through `/metrics`. */
export function setTemporalCoreMetricsUrl(url: string | undefined): void {
  coreMetricsUrl = url;
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Installs the Temporal Runtime for this process: no shutdown signals of its own (the process owns
 * shutdown), its log lines from `sdkLogLevel` up, and the Prometheus exporter as configured.
 */
export async function installTemporalRuntime(config: Config, sdkLogLevel: LogLevel): Promise<void> {
  const setting = config.ops.temporalMetricsAddress;
  const bindAddress =
    setting === 'off' ? undefined : setting === 'auto' ? `127.0.0.1:${await freeLoopbackPort()}` : setting;
  Runtime.install({
    shutdownSignals: [],
    logger: new DefaultLogger(sdkLogLevel),
    ...(bindAddress
      ? {
          telemetryOptions: {
            metrics: {
              prometheus: { bindAddress, countersTotalSuffix: true, useSecondsForDurations: true, unitSuffix: true },
            },
          },
        }
      : {}),
  });
  if (bindAddress) {
    const [host, port] = [
      bindAddress.slice(0, bindAddress.lastIndexOf(':')),
      bindAddress.slice(bindAddress.lastIndexOf(':') + 1),
    ];
    const reachable = host === '0.0.0.0' || host === '[::]' || host === '::' ? '127.0.0.1' : host;
    coreMetricsUrl = `http://${reachable}:${port}/metrics`;
  }
}

/** The core exporter's text, or a comment saying why it is missing (never fails the scrape). */
export async function scrapeTemporalCore(timeoutMs = 2000): Promise<string> {
  if (!coreMetricsUrl) return '';
  try {
    const response = await fetch(coreMetricsUrl, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return `# temporal core metrics: HTTP ${response.status}\n`;
    return await response.text();
  } catch (error) {
    return `# temporal core metrics unavailable: ${(error as Error).message.replace(/\s+/g, ' ')}\n`;
  }
}

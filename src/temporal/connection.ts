/**
 * Connections to the Temporal cluster from configuration: a Client for starting and talking to
 * workflows (API side) and a NativeConnection for workers. TLS and API keys for Temporal Cloud or a
 * secured cluster come from the same config.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../config';
import { clientTracingInterceptors } from '../tracing';

export interface TemporalTarget {
  address: string;
  namespace: string;
  apiKey?: string | undefined;
  tls?: boolean;
}

export function targetFromConfig(config: Config, address: string): TemporalTarget {
  return { address, namespace: config.temporal.namespace, apiKey: config.temporal.apiKey, tls: config.temporal.tls };
}

function connectionOptions(target: TemporalTarget) {
  return {
    address: target.address,
    ...(target.tls || target.apiKey ? { tls: true } : {}),
    ...(target.apiKey ? { apiKey: target.apiKey } : {}),
  };
}

export async function connectClient(target: TemporalTarget): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(target));
  return new Client({
    connection,
    namespace: target.namespace,
    interceptors: { workflow: clientTracingInterceptors() },
  });
}

/**
 * A client that connects on first use, for the HTTP server: it starts (and answers `/readyz` with 503
 * naming Temporal) while the cluster is unreachable. gRPC reconnects by itself after an outage; calls
 * made during one fail and are answered as errors.
 */
export function lazyClient(target: TemporalTarget): Client {
  return new Client({
    connection: Connection.lazy(connectionOptions(target)),
    namespace: target.namespace,
    interceptors: { workflow: clientTracingInterceptors() },
  });
}

export async function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(target));
}

/** Readiness probe: the namespace answers within `timeoutMs`. */
export async function checkTemporal(client: Client, timeoutMs = 2000): Promise<void> {
  await client.connection.withDeadline(Date.now() + timeoutMs, () =>
    client.connection.workflowService.describeNamespace({ namespace: client.options.namespace }),
  );
}

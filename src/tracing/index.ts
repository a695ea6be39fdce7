/**
 * OpenTelemetry tracing (issue 19), off unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set: one trace follows a
 * request from the HTTP server (`httpTracing`), through the Temporal client (the workflow start or
 * update carries the span context in its headers), into the workflow (the SDK's workflow interceptors,
 * whose spans leave the sandbox through a sink), its activities, and the provider calls they make
 * (`withSpan`: email, SMS, payments, webhook deliveries). Spans go to the OTLP/HTTP endpoint in
 * batches; tests hand in their own span processor (an in-memory exporter).
 *
 * Off, it costs nothing: no provider is registered, the API's tracer is a no-op, the worker gets no
 * interceptors and the workflow bundle carries no tracing code (each cached workflow would pay for it).
 */
import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';
import type { Config } from '../config';

interface Active {
  provider: NodeTracerProvider;
  processor: SpanProcessor;
  resource: Resource;
}

let active: Active | undefined;

/** The workflow interceptor module that a traced workflow bundle includes. */
export const TRACING_WORKFLOW_MODULE =
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

export function tracingEnabled(): boolean {
  return active !== undefined;
}

/**
 * Starts tracing for this process when configured (or when a test hands in `spanProcessor`); returns
 * the function that flushes and stops it.
 */
export function startTracing(
  config: Pick<Config, 'ops'>,
  options: { spanProcessor?: SpanProcessor; serviceName?: string } = {},
): (() => Promise<void>) | undefined {
  const settings = config.ops.tracing;
  if (!settings && !options.spanProcessor) return undefined;
  const processor =
    options.spanProcessor ??
    new BatchSpanProcessor(new OTLPTraceExporter({ url: `${settings!.otlpEndpoint}/v1/traces` }));
  const resource = new Resource({ 'service.name': options.serviceName ?? settings?.serviceName ?? 'appointflow' });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  active = { provider, processor, resource };
  return async () => {
    if (active?.provider !== provider) return;
    active = undefined;
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  };
}

/** Interceptors for a Temporal Client: starts, updates and signals carry the current span. */
export function clientTracingInterceptors(): WorkflowClientInterceptor[] {
  return active ? [new OpenTelemetryWorkflowClientInterceptor()] : [];
}

/**
 * Worker options that trace activities and workflows; nothing when off. A worker bundling its own
 * workflows adds the workflow interceptors to the bundle; a prebuilt bundle must already carry them
 * (`workflow-bundle.traced.js`).
 */
export function workerTracingOptions(bundling: boolean): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  if (!active) return {};
  return {
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
      ...(bundling ? { workflowModules: [TRACING_WORKFLOW_MODULE] } : {}),
    },
    sinks: { exporter: makeWorkflowExporter(active.processor, active.resource) },
  };
}

/** A span around one call to the outside world (provider, gateway, webhook), child of the current one. */
export async function withSpan<T>(name: string, attributes: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  if (!active) return fn();
  return trace
    .getTracer('appointflow')
    .startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span: Span) => {
      try {
        return await fn();
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    });
}

/**
 * The operator's view as shipped: docker-compose runs Prometheus (scraping the api and worker where
 * they serve /metrics) and Grafana with the dashboard; every appointflow series the alert rules and the
 * dashboard query is one the code registers (a renamed metric fails here, not silently in Grafana).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config';
import { registry } from '../../src/metrics/registry';
import '../../src/metrics/business';
import '../../src/metrics/http';
import '../../src/metrics/database-gauges';

const root = resolve(__dirname, '../..');
const read = (path: string) => readFileSync(resolve(root, path), 'utf8');

interface Service {
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const prometheus = parse(read('ops/prometheus/prometheus.yml')) as {
  rule_files: string[];
  scrape_configs: Array<{ job_name: string; dns_sd_configs?: Array<{ names: string[]; port: number }> }>;
};
const alerts = parse(read('ops/prometheus/alerts.yml')) as {
  groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
};
const dashboard = JSON.parse(read('ops/grafana/dashboards/appointflow.json')) as {
  panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
};

describe('observability in the repository', () => {
  it('runs Prometheus and Grafana with the files it mounts', () => {
    for (const name of ['prometheus', 'grafana']) {
      const service = compose.services[name]!;
      expect(service.image).toBeDefined();
      for (const volume of service.volumes ?? []) {
        const host = volume.split(':')[0]!;
        if (host.startsWith('./'))
          expect({ volume, exists: existsSync(resolve(root, host)) }).toEqual({ volume, exists: true });
      }
    }
  });

  it('scrapes the api and worker replicas where their configuration serves /metrics', () => {
    // What compose passes: SECRETS_KEY from the operator's .env, `${SECRETS_OLD_KEYS:-}` empty.
    const env: Record<string, string> = {
      ...compose.services.worker!.environment!,
      SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    };
    env.SECRETS_OLD_KEYS = '';
    const worker = loadConfig(env, root);
    const api = compose.services.api!.environment!;
    const port = (job: string) => prometheus.scrape_configs.find((c) => c.job_name === job)?.dns_sd_configs?.[0]?.port;
    expect(port('appointflow-worker')).toBe(worker.ops.metricsPort);
    expect(worker.http.host).toBe('0.0.0.0');
    expect(port('appointflow-api')).toBe(Number(api.PORT));
    expect(worker.ops.worker).toEqual({
      maxCachedWorkflows: 2000,
      maxConcurrentWorkflowTaskExecutions: 40,
      maxConcurrentActivityTaskExecutions: 100,
      stickyQueueScheduleToStartTimeoutMs: 10_000,
    });
    expect(prometheus.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
  });

  it('alerts on late reminders, failing deliveries, a worker down and charge failures', () => {
    const names = alerts.groups.flatMap((g) => g.rules.map((r) => r.alert));
    expect(names).toEqual(
      expect.arrayContaining([
        'AppointflowReminderLate',
        'AppointflowMessageDeliveryFailing',
        'AppointflowWebhookDeliveryFailing',
        'AppointflowWorkerDown',
        'AppointflowChargeFailuresSpiking',
      ]),
    );
  });

  it('queries only appointflow series that the code registers', async () => {
    const registered = new Set((await registry.getMetricsAsJSON()).map((m) => m.name));
    const expressions = [
      ...alerts.groups.flatMap((g) => g.rules.map((r) => r.expr)),
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
    ];
    const used = new Set(expressions.flatMap((e) => [...e.matchAll(/\bappointflow_\w+/g)].map((m) => m[0])));
    expect(used.size).toBeGreaterThan(10);
    for (const name of used) {
      const base = name.replace(/_(bucket|count|sum)$/, '');
      expect({ name, registered: registered.has(name) || registered.has(base) }).toEqual({ name, registered: true });
    }
  });
});

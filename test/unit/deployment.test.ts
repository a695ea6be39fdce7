/**
 * docker-compose.yml cannot be run here (no Docker engine), so this checks what `docker compose config`
 * would: it parses, every dependency names a service, the brief's topology is there, the app services'
 * environment passes appointflow's own configuration validation, and what they run exists in the image.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config';
import { ALL_SEARCH_ATTRIBUTES } from '../../temporal/search-attributes';

interface ComposeService {
  image?: string;
  build?: string;
  depends_on?: string[] | Record<string, { condition: string }>;
  environment?: Record<string, string>;
  command?: string[] | string;
}

const root = resolve(__dirname, '../..');

/** What compose does with `${NAME:?message}` (required) and `${NAME:-default}` in values, given `vars`. */
function interpolate(environment: Record<string, string>, vars: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) {
    out[name] = String(value).replace(
      /\$\{(\w+)(?::([?-])([^}]*))?\}/g,
      (_m, variable: string, op?: string, arg?: string) => {
        const given = vars[variable];
        if (given !== undefined && given !== '') return given;
        if (op === '?') throw new Error(`required variable ${variable} is missing a value: ${arg ?? ''}`);
        return arg ?? '';
      },
    );
  }
  return out;
}
const COMPOSE_VARS = { SECRETS_KEY: Buffer.alloc(32, 7).toString('base64') };
const compose = parse(readFileSync(resolve(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};

describe('docker-compose.yml', () => {
  const services = compose.services;

  it('describes PostgreSQL, Temporal on PostgreSQL, the Temporal UI, api and worker', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['postgresql', 'temporal', 'temporal-ui', 'api', 'worker']),
    );
    expect(services.temporal?.environment?.DB).toBe('postgres12');
    expect(services.temporal?.environment?.POSTGRES_SEEDS).toBe('postgresql');
  });

  it('only depends on services it defines', () => {
    for (const [name, service] of Object.entries(services)) {
      const deps = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const dep of deps)
        expect({ service: name, dependsOn: dep, exists: dep in services }).toEqual({
          service: name,
          dependsOn: dep,
          exists: true,
        });
    }
  });

  it.each(['api', 'worker', 'migrate'])('gives %s an environment that passes configuration validation', (name) => {
    const service = services[name]!;
    expect(service.build).toBe('.');
    const config = loadConfig(interpolate(service.environment ?? {}, COMPOSE_VARS), root);
    expect(config.database.kind).toBe('postgres');
    expect(config.temporal.address).toBe('temporal:7233');
    expect(config.workflowBundlePath).toBe(resolve(root, 'dist/workflow-bundle.js'));
    const command = Array.isArray(service.command) ? service.command : [];
    expect(command[0]).toBe('node');
    const entry = command[1]!.replace(/^dist\//, '').replace(/\.js$/, '.ts');
    expect(existsSync(resolve(root, entry))).toBe(true);
  });

  it('requires SECRETS_KEY from the environment of `docker compose up` (production refuses to start without it)', () => {
    const api = services.api!.environment ?? {};
    expect(() => interpolate(api, {})).toThrow(/SECRETS_KEY/);
    expect(loadConfig(interpolate(api, COMPOSE_VARS), root).secrets.key).toEqual(Buffer.alloc(32, 7));
    expect(() => loadConfig({ ...interpolate(api, COMPOSE_VARS), SECRETS_KEY: '' }, root)).toThrow(
      /SECRETS_KEY: required in production/,
    );
  });

  it('registers every search attribute the workflows use', () => {
    const command = JSON.stringify(services['temporal-search-attributes']?.command);
    for (const key of ALL_SEARCH_ATTRIBUTES) expect(command).toContain(`--name ${key.name}`);
  });

  it('has the Dockerfile it builds from', () => {
    const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/npm run build/);
  });
});

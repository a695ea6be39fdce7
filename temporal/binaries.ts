/**
 * Finds (or builds) the two Temporal server binaries the project runs locally, without relying on the
 * SDK's own download, which cannot reach its servers on machines limited to package registries.
 *
 * Dev server (`temporal server start-dev`):
 *   TEMPORAL_CLI_PATH → `temporal` on PATH → cache → `go install …/cli/cmd/temporal@v1.5.1` into the
 *   cache → the SDK's own download.
 * Time-skipping test server:
 *   TEMPORAL_TEST_SERVER_PATH → cache → Java test server from Maven Central behind a wrapper → the SDK's
 *   own download.
 *
 * The cache lives outside the checkout (APPOINTFLOW_CACHE_DIR, else $XDG_CACHE_HOME/appointflow, else
 * ~/.cache/appointflow) and is keyed by version, so a pin change rebuilds and a second run is instant.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

/** Same shape as `@temporalio/testing`'s EphemeralServerExecutable. */
export type ServerExecutable =
  { type: 'existing-path'; path: string } | { type: 'cached-download'; downloadDir?: string };

export type Log = (message: string) => void;

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
const POM_PATH = resolve(__dirname, 'pom.xml');
const TEST_SERVER_MAIN_CLASS = 'io.temporal.testserver.TestServer';

const defaultLog: Log = (message) => process.stderr.write(`[temporal] ${message}\n`);

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.APPOINTFLOW_CACHE_DIR) return resolve(env.APPOINTFLOW_CACHE_DIR);
  const base = env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache');
  return join(base, 'appointflow');
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function hasCommand(name: string, env: NodeJS.ProcessEnv): boolean {
  return findOnPath(name, env) !== undefined;
}

/** Pinned Maven artifact version, read from the pom so it is written down exactly once. */
export function testServerVersion(): string {
  const match = /<temporal\.test-server\.version>([^<]+)</.exec(readFileSync(POM_PATH, 'utf8'));
  if (!match?.[1]) throw new Error(`temporal.test-server.version not found in ${POM_PATH}`);
  return match[1];
}

export function cachedDevServerPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'temporal-cli', TEMPORAL_CLI_VERSION, 'temporal');
}

export function cachedTestServerPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'temporal-test-server', testServerVersion(), 'temporal-test-server');
}

/** Runs a long command, printing a progress line every `everyMs` with the elapsed time and a counter. */
function runWithProgress(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; label: string; log: Log; everyMs?: number },
): Promise<void> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let tail = '';
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      lines += text.split('\n').filter(Boolean).length;
      tail = (tail + text).slice(-4000);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setInterval(() => {
      const seconds = Math.round((Date.now() - started) / 1000);
      options.log(`${options.label}: ${seconds}s elapsed, ${lines} packages/steps done so far`);
    }, options.everyMs ?? 15_000);
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearInterval(timer);
      const seconds = Math.round((Date.now() - started) / 1000);
      if (code === 0) {
        options.log(`${options.label}: done in ${seconds}s`);
        resolvePromise();
      } else {
        reject(new Error(`${options.label} failed (exit ${code}) after ${seconds}s:\n${tail}`));
      }
    });
  });
}

/**
 * `go install module@version` into the directory of `target` (a cached binary path), built in a
 * staging directory and renamed into place so an interrupted build never leaves a broken binary.
 * Also used for other Go tools the tests need (stripe-mock).
 */
export async function goInstall(
  spec: { module: string; version: string; target: string; label: string; expected: string },
  env: NodeJS.ProcessEnv,
  log: Log,
): Promise<void> {
  const binDir = join(spec.target, '..');
  const staging = `${binDir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  log(
    `building ${spec.label} with \`go install ${spec.module}@${spec.version}\` into ${binDir} (first run only; ${spec.expected})`,
  );
  await runWithProgress('go', ['install', '-v', '-ldflags=-s -w', `${spec.module}@${spec.version}`], {
    env: { ...env, GOBIN: staging, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
    label: `go install ${spec.label}`,
    log,
  });
  rmSync(binDir, { recursive: true, force: true });
  renameSync(staging, binDir);
}

/** A Go tool: explicit path variable → PATH → cache → `go install`. Throws if none works. */
export async function resolveGoTool(
  spec: { pathVariable: string; command: string; module: string; version: string; expected: string },
  env: NodeJS.ProcessEnv = process.env,
  log: Log = defaultLog,
): Promise<string> {
  const explicit = env[spec.pathVariable];
  if (explicit) {
    const path = resolve(explicit);
    if (!isExecutable(path)) throw new Error(`${spec.pathVariable}=${explicit} is not an executable file`);
    return path;
  }
  const onPath = findOnPath(spec.command, env);
  if (onPath) return onPath;
  const cached = join(cacheDir(env), spec.command, spec.version, spec.command);
  if (isExecutable(cached)) return cached;
  if (!hasCommand('go', env)) throw new Error(`${spec.command} is not installed and Go is not available to build it`);
  await goInstall(
    { module: spec.module, version: spec.version, target: cached, label: spec.command, expected: spec.expected },
    env,
    log,
  );
  return cached;
}

/** Resolves the `temporal` CLI used as the dev server. */
export async function resolveDevServer(
  env: NodeJS.ProcessEnv = process.env,
  log: Log = defaultLog,
): Promise<ServerExecutable> {
  if (env.TEMPORAL_CLI_PATH) {
    const path = resolve(env.TEMPORAL_CLI_PATH);
    if (!isExecutable(path)) throw new Error(`TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH} is not an executable file`);
    return { type: 'existing-path', path };
  }
  const onPath = findOnPath('temporal', env);
  if (onPath) return { type: 'existing-path', path: onPath };
  const cached = cachedDevServerPath(env);
  if (isExecutable(cached)) return { type: 'existing-path', path: cached };
  if (hasCommand('go', env)) {
    try {
      await goInstall(
        {
          module: TEMPORAL_CLI_MODULE,
          version: TEMPORAL_CLI_VERSION,
          target: cached,
          label: `the Temporal CLI ${TEMPORAL_CLI_VERSION}`,
          expected: 'about 3-6 minutes on 2 cores',
        },
        env,
        log,
      );
      return { type: 'existing-path', path: cached };
    } catch (error) {
      log(`could not build the Temporal CLI: ${(error as Error).message}`);
    }
  } else {
    log('Go is not installed, so the Temporal CLI cannot be built locally');
  }
  log("falling back to the Temporal SDK's own download of the dev server (needs internet access)");
  return { type: 'cached-download', downloadDir: join(cacheDir(env), 'sdk-downloads') };
}

function javaCommand(env: NodeJS.ProcessEnv): string | undefined {
  if (env.JAVA_HOME && isExecutable(join(env.JAVA_HOME, 'bin', 'java'))) return join(env.JAVA_HOME, 'bin', 'java');
  return findOnPath('java', env);
}

async function buildTestServer(target: string, java: string, env: NodeJS.ProcessEnv, log: Log): Promise<void> {
  const dir = join(target, '..');
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const classpathFile = join(staging, 'classpath.txt');
  log(
    `resolving io.temporal:temporal-test-server:${testServerVersion()} from Maven Central (first run only; under a minute)`,
  );
  await runWithProgress(
    'mvn',
    ['-q', '-B', '-f', POM_PATH, 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`],
    { env, label: 'mvn dependency:build-classpath', log },
  );
  const classpath = readFileSync(classpathFile, 'utf8').trim();
  if (!classpath) throw new Error('Maven produced an empty classpath for the test server');
  // The SDK starts the executable as `<path> <port> [extra args]`; TestServer takes exactly that.
  const wrapper = [
    '#!/bin/sh',
    `# Temporal time-skipping test server ${testServerVersion()} (Java), generated by appointflow temporal/binaries.ts`,
    `exec "${java}" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp "${classpath}" ${TEST_SERVER_MAIN_CLASS} "$@"`,
    '',
  ].join('\n');
  const wrapperPath = join(staging, 'temporal-test-server');
  writeFileSync(wrapperPath, wrapper);
  chmodSync(wrapperPath, 0o755);
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
}

/** Resolves the time-skipping test server. */
export async function resolveTestServer(
  env: NodeJS.ProcessEnv = process.env,
  log: Log = defaultLog,
): Promise<ServerExecutable> {
  if (env.TEMPORAL_TEST_SERVER_PATH) {
    const path = resolve(env.TEMPORAL_TEST_SERVER_PATH);
    if (!isExecutable(path)) {
      throw new Error(`TEMPORAL_TEST_SERVER_PATH=${env.TEMPORAL_TEST_SERVER_PATH} is not an executable file`);
    }
    return { type: 'existing-path', path };
  }
  const cached = cachedTestServerPath(env);
  if (isExecutable(cached) && cachedWrapperStillValid(cached)) return { type: 'existing-path', path: cached };
  const java = javaCommand(env);
  if (java && hasCommand('mvn', env)) {
    try {
      await buildTestServer(cached, java, env, log);
      return { type: 'existing-path', path: cached };
    } catch (error) {
      log(`could not set up the Java test server: ${(error as Error).message}`);
    }
  } else {
    log('Java and Maven are needed to run the test server from Maven Central; one of them is missing');
  }
  log("falling back to the Temporal SDK's own download of the test server (needs internet access)");
  return { type: 'cached-download', downloadDir: join(cacheDir(env), 'sdk-downloads') };
}

/** A wrapper whose JVM or jars were removed (e.g. ~/.m2 cleaned) is rebuilt instead of failing at start. */
function cachedWrapperStillValid(wrapperPath: string): boolean {
  const text = readFileSync(wrapperPath, 'utf8');
  const match = /exec "([^"]+)" .* -cp "([^"]+)"/.exec(text);
  if (!match?.[1] || !match[2]) return false;
  return existsSync(match[1]) && match[2].split(delimiter).every((jar) => existsSync(jar));
}

/** Where the dev server comes from, with the version the CLI reports; for start-up logs. */
export function describeDevServer(executable: ServerExecutable): string {
  if (executable.type === 'cached-download') return `SDK download into ${executable.downloadDir ?? 'the temp dir'}`;
  const result = spawnSync(executable.path, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const version = result.status === 0 ? result.stdout.trim().split('\n')[0] : undefined;
  return version ? `${executable.path} (${version})` : executable.path;
}

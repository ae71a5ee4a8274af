/**
 * Static checks of docker-compose.yml and the Dockerfile: no Docker engine is needed, so they run in
 * every CI. They pin the properties the deployment relies on: a real three-node CockroachDB cluster
 * (not start-single-node), initialised once, migrated by a one-shot service before the app starts,
 * and the app connecting as the restricted role with migrations on start turned off.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface DependsOnEntry {
  condition?: string;
}

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, DependsOnEntry | null>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  ports?: (string | number | { target?: number; published?: string | number })[];
  restart?: string;
}

interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const composeUrl = new URL('../../docker-compose.yml', import.meta.url);
const dockerfileUrl = new URL('../../Dockerfile', import.meta.url);

const compose = parse(readFileSync(composeUrl, 'utf8')) as ComposeFile;
const services = compose.services ?? {};
const serviceNames = Object.keys(services);

const cockroachImage = /^cockroachdb\/cockroach:/;
const dataDir = '/cockroach/cockroach-data';

function service(name: string): Service {
  const found = services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** Splits a command or entrypoint, given as a string or a list, into words. */
function words(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : value.trim().split(/\s+/);
}

/** The whole command line (entrypoint then command) as one string, for scripts run through sh -c. */
function commandText(svc: Service): string {
  return [...words(svc.entrypoint), ...words(svc.command)].join(' ');
}

function dependencies(svc: Service): Record<string, DependsOnEntry> {
  const raw = svc.depends_on;
  if (raw === undefined) return {};
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((name) => [name, {}]));
  return Object.fromEntries(Object.entries(raw).map(([name, entry]) => [name, entry ?? {}]));
}

function environment(svc: Service): Record<string, string | undefined> {
  const raw = svc.environment;
  if (raw === undefined) return {};
  if (Array.isArray(raw)) {
    return Object.fromEntries(
      raw.map((entry) => {
        const eq = entry.indexOf('=');
        return eq === -1 ? [entry, undefined] : [entry.slice(0, eq), entry.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(raw).map(([key, value]) => [key, value === null ? undefined : String(value)]),
  );
}

function flagValue(args: string[], flag: string): string | undefined {
  const prefix = `${flag}=`;
  const inline = args.find((arg) => arg.startsWith(prefix));
  if (inline !== undefined) return inline.slice(prefix.length);
  const at = args.indexOf(flag);
  return at === -1 ? undefined : args[at + 1];
}

function hostOf(address: string): string {
  return address.split(':')[0] ?? '';
}

/** Node services: the CockroachDB image run through its own entrypoint (so the command is cockroach's). */
const nodeNames = serviceNames.filter((name) => {
  const svc = service(name);
  return cockroachImage.test(svc.image ?? '') && svc.entrypoint === undefined;
});

const initNames = serviceNames.filter((name) => /\bcockroach\s+init\b/.test(commandText(service(name))));

/** Checks a postgres URL points at a cluster node's SQL port with an explicit sslmode. */
function expectNodeSqlUrl(raw: string | undefined, user: string): URL {
  expect(raw, 'connection URL is set').toBeTypeOf('string');
  const url = new URL(raw ?? '');
  expect(['postgres:', 'postgresql:']).toContain(url.protocol);
  expect(nodeNames).toContain(url.hostname);
  expect(url.port).toBe('26257');
  expect(url.username).toBe(user);
  expect(url.pathname).toBe('/tradeproof');
  expect(url.searchParams.get('sslmode')).toBeTruthy();
  return url;
}

describe('docker-compose.yml: CockroachDB cluster', () => {
  it('has exactly three node services on one pinned cockroach image', () => {
    expect(nodeNames).toHaveLength(3);
    const images = new Set(nodeNames.map((name) => service(name).image));
    expect(images.size).toBe(1);
    const [image] = [...images];
    expect(image).toMatch(/^cockroachdb\/cockroach:v\d+\.\d+\.\d+$/);
  });

  it.each(nodeNames)('%s runs `start --insecure` joining all three nodes', (name) => {
    const args = words(service(name).command);
    expect(args[0]).toBe('start');
    expect(args).not.toContain('start-single-node');
    expect(args).toContain('--insecure');
    const join = flagValue(args, '--join');
    expect(join, '--join is given').toBeTypeOf('string');
    const joined = (join ?? '').split(',').map(hostOf);
    expect([...joined].sort()).toEqual([...nodeNames].sort());
    const advertise = flagValue(args, '--advertise-addr');
    if (advertise !== undefined) expect(hostOf(advertise)).toBe(name);
  });

  it.each(nodeNames)('%s has a health check', (name) => {
    const check = service(name).healthcheck;
    expect(check).toBeDefined();
    expect(check?.disable).not.toBe(true);
    const test = words(check?.test);
    expect(test.length).toBeGreaterThan(0);
    expect(test[0]).not.toBe('NONE');
  });

  it('gives every node its own named volume, declared at the top level', () => {
    const declared = Object.keys(compose.volumes ?? {});
    const used = nodeNames.map((name) => {
      const mounts = (service(name).volumes ?? []).map((mount) =>
        typeof mount === 'string'
          ? { source: mount.split(':')[0] ?? '', target: mount.split(':')[1] ?? '' }
          : { source: mount.source ?? '', target: mount.target ?? '' },
      );
      const data = mounts.find((mount) => mount.target === dataDir);
      expect(data, `${name} mounts ${dataDir}`).toBeDefined();
      const source = data?.source ?? '';
      expect(source, `${name} uses a named volume, not a bind mount`).toMatch(/^[A-Za-z0-9][\w.-]*$/);
      expect(declared).toContain(source);
      return source;
    });
    expect(new Set(used).size).toBe(nodeNames.length);
  });

  it('initialises the cluster once from a one-shot init service that waits only for the nodes to start', () => {
    expect(initNames).toHaveLength(1);
    const name = initNames[0] ?? '';
    const init = service(name);
    expect(init.restart === undefined || init.restart === 'no').toBe(true);
    const text = commandText(init);
    const host = /cockroach\s+init\b[^\n]*--host[= ]([\w.-]+)/.exec(text)?.[1];
    expect(nodeNames).toContain(host);
    expect(text).toContain('--insecure');
    // Re-running `docker compose up` must not fail on an already initialised cluster.
    expect(text).toMatch(/already been initialized/);
    expect(text).toMatch(/CREATE DATABASE IF NOT EXISTS tradeproof/);
    const deps = dependencies(init);
    for (const node of nodeNames) {
      expect(Object.keys(deps)).toContain(node);
      // Nodes only report ready after init: waiting for them to be healthy here would deadlock.
      expect(deps[node]?.condition ?? 'service_started').toBe('service_started');
    }
  });

  it('publishes roach1 SQL and DB Console ports', () => {
    const ports = (service('roach1').ports ?? []).map(String);
    expect(ports).toContain('26257:26257');
    expect(ports).toContain('8080:8080');
  });
});

describe('docker-compose.yml: migrate and app', () => {
  it('migrate runs `npm run migrate` after init completed successfully', () => {
    const migrate = service('migrate');
    expect(commandText(migrate)).toMatch(/\bnpm run migrate\b/);
    expect(migrate.build).toBeDefined();
    expect(migrate.restart === undefined || migrate.restart === 'no').toBe(true);
    const init = initNames[0] ?? '';
    expect(dependencies(migrate)[init]?.condition).toBe('service_completed_successfully');
    expectNodeSqlUrl(environment(migrate).DATABASE_URL, 'root');
  });

  it('app starts only after migrate completed successfully and the nodes are healthy', () => {
    const deps = dependencies(service('app'));
    expect(deps.migrate?.condition).toBe('service_completed_successfully');
    for (const node of nodeNames) expect(deps[node]?.condition).toBe('service_healthy');
  });

  it('app connects to the cluster, as the restricted role, without migrating on start', () => {
    const env = environment(service('app'));
    expectNodeSqlUrl(env.DATABASE_URL, 'root');
    expectNodeSqlUrl(env.APP_DATABASE_URL, 'tradeproof_app');
    expect(env.MIGRATE_ON_START).toBe('false');
    expect(env.HOST).toBe('0.0.0.0');
    expect(env.NODE_ENV).toBe('production');
  });

  it('app is built from the Dockerfile, publishes its port and has a /healthz health check', () => {
    const app = service('app');
    const build = app.build;
    expect(build).toBeDefined();
    const context = typeof build === 'string' ? build : (build?.context ?? '.');
    const dockerfile = typeof build === 'string' ? 'Dockerfile' : (build?.dockerfile ?? 'Dockerfile');
    expect(context).toBe('.');
    expect(dockerfile).toBe('Dockerfile');
    expect((app.ports ?? []).map(String)).toContain('4000:4000');
    expect(words(app.healthcheck?.test).join(' ')).toContain('/healthz');
  });

  it('every depends_on names an existing service', () => {
    for (const [name, svc] of Object.entries(services)) {
      for (const dep of Object.keys(dependencies(svc))) {
        expect(serviceNames, `${name} depends on ${dep}`).toContain(dep);
      }
    }
  });
});

describe('Dockerfile', () => {
  it('exists, uses a Node 20 image and installs with npm ci', () => {
    expect(existsSync(dockerfileUrl)).toBe(true);
    const text = readFileSync(dockerfileUrl, 'utf8');
    expect(text).toMatch(/^FROM\s+node:20[.\w-]*(\s|$)/m);
    expect(text).toMatch(/^RUN\s+.*\bnpm ci\b/m);
    expect(text).toMatch(/^USER\s+node\s*$/m);
  });
});

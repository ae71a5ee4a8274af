/**
 * Static checks of docker-compose.yml, its HAProxy configurations and the Dockerfile: no Docker engine
 * is needed, so they run in every CI. They pin the properties the deployment relies on: a real
 * three-node CockroachDB cluster (not start-single-node), initialised once, behind HAProxy configured
 * as `cockroach gen haproxy` writes it; migrated once by a one-shot service before the apps start;
 * two API processes behind an HTTP balancer, reaching SQL only through HAProxy, as the restricted
 * role, with migrations on start turned off and the anchoring worker left to the lease.
 * test/infra/docker-compose.up.test.ts starts the whole thing where a container engine answers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkPort, effective, parseHaproxy, proxyFor, servers } from './haproxy-config.js';

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
  expose?: (string | number)[];
  restart?: string;
}

interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const composeUrl = new URL('../../docker-compose.yml', import.meta.url);
const dockerfileUrl = new URL('../../Dockerfile', import.meta.url);

// Docker Compose resolves YAML merge keys (`<<: *app`); so must we.
const compose = parse(readFileSync(composeUrl, 'utf8'), { merge: true }) as ComposeFile;
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

/** Services run from the HAProxy image, with the configuration file each mounts. */
const balancers = serviceNames.flatMap((name) => {
  const svc = service(name);
  if (!/^haproxy:/.test(svc.image ?? '')) return [];
  const mount = (svc.volumes ?? [])
    .map((entry) => (typeof entry === 'string' ? entry.split(':') : [entry.source ?? '', entry.target ?? '']))
    .find(([, target]) => target === '/usr/local/etc/haproxy/haproxy.cfg');
  if (mount?.[0] === undefined) return [];
  const config = parseHaproxy(
    readFileSync(new URL(`../../${mount[0].replace(/^\.\//, '')}`, import.meta.url), 'utf8'),
  );
  return [{ name, config, file: mount[0] }];
});

/** The balancer whose proxy binds `port`. */
function balancerOn(port: number) {
  const found = balancers.filter((balancer) => {
    try {
      proxyFor(balancer.config, port);
      return true;
    } catch {
      return false;
    }
  });
  if (found.length !== 1) throw new Error(`${found.length} HAProxy services bind :${port}, not one`);
  return found[0] as (typeof balancers)[number];
}

const sqlBalancer = balancerOn(26257);
const apiBalancer = balancerOn(4000);

/** API processes: built from the Dockerfile and running the server (not the one-shot migrate). */
const appNames = serviceNames.filter((name) => {
  const svc = service(name);
  return svc.build !== undefined && !/\bnpm run migrate\b/.test(commandText(svc));
});

/** Checks a postgres URL goes through the SQL balancer, with an explicit sslmode. */
function expectBalancedSqlUrl(raw: string | undefined, user: string): URL {
  expect(raw, 'connection URL is set').toBeTypeOf('string');
  const url = new URL(raw ?? '');
  expect(['postgres:', 'postgresql:']).toContain(url.protocol);
  expect(url.hostname, 'SQL goes through HAProxy, not to one node').toBe(sqlBalancer.name);
  expect(url.port).toBe('26257');
  expect(url.username).toBe(user);
  expect(url.pathname).toBe('/tradeproof');
  expect(url.searchParams.get('sslmode')).toBeTruthy();
  return url;
}

function nodeSqlPort(name: string): number {
  const address = flagValue(words(service(name).command), '--sql-addr') ?? `${name}:26257`;
  return Number(address.split(':')[1] ?? 26257);
}

function nodeHttpPort(name: string): number {
  const address = flagValue(words(service(name).command), '--http-addr') ?? `${name}:8080`;
  return Number(address.split(':')[1] ?? 8080);
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

  it('publishes SQL through the balancer and the DB Console of roach1', () => {
    expect((service(sqlBalancer.name).ports ?? []).map(String)).toContain('26257:26257');
    expect((service('roach1').ports ?? []).map(String)).toContain('8080:8080');
    for (const node of nodeNames) {
      const published = (service(node).ports ?? []).map(String);
      expect(
        published.some((port) => port.endsWith(':26257')),
        `${node} SQL only through HAProxy`,
      ).toBe(false);
    }
  });
});

describe('deploy/haproxy: the SQL balancer, as `cockroach gen haproxy` writes it', () => {
  const { front, back } = proxyFor(sqlBalancer.config, 26257);

  it('is a TCP proxy on 26257 that balances round robin', () => {
    expect(sqlBalancer.file).toMatch(/^\.\/deploy\//);
    expect(effective(sqlBalancer.config, front, 'mode')).toBe('tcp');
    expect(effective(sqlBalancer.config, back, 'balance')).toBe('roundrobin');
  });

  it('names each of the three nodes once, at its SQL port, health-checked on its HTTP port', () => {
    const named = servers(back);
    expect(named.map((server) => server.host).sort()).toEqual([...nodeNames].sort());
    for (const server of named) {
      expect(server.port).toBe(nodeSqlPort(server.host));
      expect(server.options).toContain('check');
      expect(checkPort(server)).toBe(nodeHttpPort(server.host));
    }
  });

  it('routes only to nodes ready for SQL: GET /health?ready=1', () => {
    expect(effective(sqlBalancer.config, back, 'option httpchk')).toBe('GET /health?ready=1');
  });

  it('has the generated timeouts and client keep-alive', () => {
    for (const timeout of ['timeout connect', 'timeout client', 'timeout server']) {
      expect(effective(sqlBalancer.config, back, timeout), timeout).toMatch(/^\d+(ms|s|m)$/);
    }
    expect(effective(sqlBalancer.config, back, 'option clitcpka')).not.toBeNull();
  });
});

describe('docker-compose.yml: migrate once, two API processes behind a balancer', () => {
  it('migrate, the only service that migrates, runs `npm run migrate` once after init, through HAProxy', () => {
    const migrators = serviceNames.filter((name) => /\bnpm run migrate\b/.test(commandText(service(name))));
    expect(migrators).toEqual(['migrate']);
    const migrate = service('migrate');
    expect(migrate.build).toBeDefined();
    expect(migrate.restart === undefined || migrate.restart === 'no').toBe(true);
    const init = initNames[0] ?? '';
    expect(dependencies(migrate)[init]?.condition).toBe('service_completed_successfully');
    expectBalancedSqlUrl(environment(migrate).DATABASE_URL, 'root');
  });

  it('has two API processes', () => {
    expect(appNames).toHaveLength(2);
  });

  it.each(appNames)(
    '%s starts only after migrate completed successfully and the nodes are healthy',
    (name) => {
      const deps = dependencies(service(name));
      expect(deps.migrate?.condition).toBe('service_completed_successfully');
      for (const node of nodeNames) expect(deps[node]?.condition).toBe('service_healthy');
    },
  );

  it.each(appNames)(
    '%s connects through HAProxy, as the restricted role, without migrating on start',
    (name) => {
      const env = environment(service(name));
      expectBalancedSqlUrl(env.DATABASE_URL, 'root');
      expectBalancedSqlUrl(env.APP_DATABASE_URL, 'tradeproof_app');
      expect(env.MIGRATE_ON_START).toBe('false');
      expect(env.HOST).toBe('0.0.0.0');
      expect(env.PORT).toBe('4000');
      expect(env.NODE_ENV).toBe('production');
    },
  );

  it('every API process runs the anchoring worker, with one custody key: the lease picks the leader', () => {
    const envs = appNames.map((name) => environment(service(name)));
    for (const env of envs) expect(env.ANCHORING ?? 'true').not.toBe('false');
    expect(new Set(envs.map((env) => env.CUSTODY_KEY)).size).toBe(1);
    expect(envs[0]?.CUSTODY_KEY).toMatch(/^\$\{CUSTODY_KEY:\?/);
  });

  it.each(appNames)(
    '%s is built from the Dockerfile, has a /healthz check and is reached only through the balancer',
    (name) => {
      const app = service(name);
      const build = app.build;
      const context = typeof build === 'string' ? build : (build?.context ?? '.');
      const dockerfile = typeof build === 'string' ? 'Dockerfile' : (build?.dockerfile ?? 'Dockerfile');
      expect(context).toBe('.');
      expect(dockerfile).toBe('Dockerfile');
      expect(app.ports ?? []).toEqual([]);
      expect(words(app.healthcheck?.test).join(' ')).toContain('/healthz');
    },
  );

  it('the HTTP balancer publishes 4000 and balances round robin over both processes, checking /healthz', () => {
    expect((service(apiBalancer.name).ports ?? []).map(String)).toContain('4000:4000');
    const { front, back } = proxyFor(apiBalancer.config, 4000);
    expect(effective(apiBalancer.config, front, 'mode')).toBe('http');
    expect(effective(apiBalancer.config, back, 'balance')).toBe('roundrobin');
    expect(effective(apiBalancer.config, back, 'option httpchk')).toBe('GET /healthz');
    const named = servers(back);
    expect(named.map((server) => server.host).sort()).toEqual([...appNames].sort());
    for (const server of named) {
      expect(server.port).toBe(Number(environment(service(server.host)).PORT));
      expect(server.options).toContain('check');
    }
    for (const app of appNames) expect(Object.keys(dependencies(service(apiBalancer.name)))).toContain(app);
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

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { DockerfileParser, type Instruction, type JSONInstruction } from 'dockerfile-ast';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { readCommandLine } from '../../apps/balancer/src/config/command-line';
import { loadConfig } from '../../apps/balancer/src/config/load-config';
import { METRIC } from '../../apps/balancer/src/metrics/metric-definitions';
import { runCli } from '../support/cli';
import { ROOT, startBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { promtool } from './support/prometheus-server';

/**
 * Docker can't run on these machines, so the Compose stack, the image and the Grafana files are
 * checked statically: they parse, everything they name exists in the repository, the commands
 * they give go through the real programs, and the docs say what the files do.
 */
const read = (path: string) => readFileSync(resolve(ROOT, path), 'utf8');

/** Compose's `${NAME:-default}` interpolation, with the environment the user would give. */
function interpolate(value: string, env: Record<string, string> = {}): string {
  return value.replace(/\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}/g, (_, name: string, fallback?: string) => {
    if (env[name] !== undefined) return env[name];
    if (fallback === undefined) throw new Error(`\${${name}} has no default in docker-compose.yml`);
    return fallback;
  });
}

const service = z
  .object({
    image: z.string(),
    build: z.string().optional(),
    entrypoint: z.array(z.string()).optional(),
    command: z.array(z.string()).optional(),
    environment: z.record(z.string(), z.string()).optional(),
    ports: z.array(z.string()).optional(),
    volumes: z.array(z.string()).optional(),
    profiles: z.array(z.string()).optional(),
    depends_on: z.array(z.string()).optional(),
    restart: z.string().optional(),
  })
  .strict();
const composeSchema = z
  .object({
    name: z.string(),
    services: z.record(z.string(), service),
    volumes: z.record(z.string(), z.null()).optional(),
  })
  .passthrough();

const compose = composeSchema.parse(parseYaml(read('docker-compose.yml'), { merge: true }));
const services = compose.services;
const BACKEND_SERVICES = [1, 2, 3, 4, 5].map((n) => ({ name: `backend${n}`, port: 8000 + n }));

/** `./observability/x:/target:ro` → { source, target }. */
function bindMounts(name: string) {
  return (services[name].volumes ?? [])
    .filter((v) => v.startsWith('./'))
    .map((v) => {
      const [source, target] = v.split(':');
      return { source, target };
    });
}

afterAll(stopAll);

describe('docker-compose.yml', () => {
  it('names the stack: two balancer replicas and their Redis, five demo backends, Prometheus, Grafana, and a CLI on demand', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['loadex', 'loadex-2', 'redis', ...BACKEND_SERVICES.map((b) => b.name), 'cli', 'prometheus', 'grafana'].sort(),
    );
    expect(services.loadex.ports).toEqual(['8080:8080']);
    expect(services['loadex-2'].ports).toEqual(['8081:8080']);
    expect(services.redis.ports).toBeUndefined();
    for (const { name, port } of BACKEND_SERVICES) expect(services[name].ports).toEqual([`${port}:${port}`]);
    expect(services.prometheus.ports).toEqual(['9090:9090']);
    expect(services.grafana.ports).toEqual(['3000:3000']);
    expect(services.cli.profiles).toEqual(['tools']);
    expect(services.cli.ports).toBeUndefined();
  });

  it('builds every Loadex service from the Dockerfile at the repository root, as one image', () => {
    const own = ['loadex', 'loadex-2', 'cli', ...BACKEND_SERVICES.map((b) => b.name)];
    for (const name of own) {
      expect(services[name].build).toBe('.');
      expect(services[name].image).toBe(services.loadex.image);
    }
    expect(existsSync(resolve(ROOT, 'Dockerfile'))).toBe(true);
  });

  it('gives the balancer a command its real config loader accepts: round robin over backend1-5 on 8080, overridable', async () => {
    const command = services.loadex.command!;
    const env = services.loadex.environment ?? {};
    const configFor = async (vars: Record<string, string>) =>
      loadConfig(
        readCommandLine(
          command.map((a) => interpolate(a, vars)),
          Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(v, vars)])),
          '0.0.0',
        ),
      );
    const config = await configFor({});
    expect(config.port).toBe(8080);
    expect(config.host).toBe('0.0.0.0');
    expect(config.algorithm).toBe('roundrobin');
    expect(config.backends.map((b) => b.url.origin)).toEqual(
      BACKEND_SERVICES.map(({ name, port }) => `http://${name}:${port}`),
    );
    expect(config.adminAllow).toEqual(expect.arrayContaining(['127.0.0.0/8', '172.16.0.0/12']));
    // Prometheus (loadex:8080) and the cli service reach the admin API by the service name.
    expect(config.adminHosts).toContain(new URL(services.cli.environment!.LOADEX_URL).hostname);
    expect((await configFor({ LOADEX_ALGO: 'leastconnection' })).algorithm).toBe('leastconnection');
    expect(services.loadex.depends_on).toEqual(['redis', ...BACKEND_SERVICES.map((b) => b.name)]);
  });

  it("runs the second replica with the first one's flags and store, under its own name (the real config loader agrees)", async () => {
    const configOf = (name: string) =>
      loadConfig(
        readCommandLine(
          services[name].command!.map((a) => interpolate(a)),
          Object.fromEntries(Object.entries(services[name].environment ?? {}).map(([k, v]) => [k, interpolate(v)])),
          '0.0.0',
        ),
      );
    const [first, second] = await Promise.all([configOf('loadex'), configOf('loadex-2')]);
    expect(services['loadex-2'].command).toEqual(services.loadex.command);
    expect(services['loadex-2'].depends_on).toEqual(services.loadex.depends_on);
    expect([first.instance, second.instance]).toEqual(['loadex-1', 'loadex-2']);
    for (const config of [first, second]) {
      expect(config.store).toMatchObject({ host: 'redis', port: 6379, db: 0, tls: false });
      expect(config.stateFile).toBeNull();
    }
    expect({ ...second, instance: first.instance }).toEqual(first);
  });

  it('keeps the shared state in a pinned Redis with an append-only file on a named volume', () => {
    const redis = services.redis;
    expect(redis.image).toMatch(/^redis:\d+\.\d+\.\d+-alpine$/);
    expect(redis.command?.slice(0, 3)).toEqual(['redis-server', '--appendonly', 'yes']);
    expect(redis.volumes).toEqual(['redis-data:/data']);
    const url = new URL(interpolate(services.loadex.environment!.LOADEX_STORE));
    expect(url.hostname).toBe('redis');
  });

  it('starts each demo backend on its own port on all interfaces, with flags the real backend takes', async () => {
    for (const { name, port } of BACKEND_SERVICES) {
      expect(services[name].entrypoint).toEqual(['loadex-backend']);
      expect(services[name].command).toEqual(['--host', '0.0.0.0', '--port', String(port)]);
      expect(services[name].environment).toEqual({ LOADEX_HEALTHCHECK_URL: `http://127.0.0.1:${port}/health` });
    }
    // The same flags, on loopback and a port the OS picks, start the real demo backend.
    const args = services.backend1.command!.map((a) => (a === '0.0.0.0' ? '127.0.0.1' : a === '8001' ? '0' : a));
    expect(args).toEqual(['--host', '127.0.0.1', '--port', '0']);
    const backend = await startBackend(args);
    try {
      expect((await fetch(`${backend.url}/health`)).status).toBe(200);
    } finally {
      await backend.stop('SIGKILL');
    }
  });

  it('runs the CLI with LOADEX_URL pointing at the balancer service, which the real CLI reads', async () => {
    expect(services.cli.entrypoint).toEqual(['loadex']);
    const url = new URL(services.cli.environment!.LOADEX_URL);
    expect(url.hostname).toBe('loadex');
    expect(url.port).toBe(services.loadex.ports![0].split(':')[1]);

    const [backend] = await startBackends(1);
    const balancer = await startBalancer(['--backends', backend.url, '--health-interval', '1h']);
    const cli = await runCli(['health', '--json'], { LOADEX_URL: balancer.url, NO_COLOR: '1' });
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(backend.url);
  });

  it('mounts only files that exist in the repository', () => {
    const mounts = Object.keys(services).flatMap((name) => bindMounts(name));
    expect(mounts.length).toBeGreaterThanOrEqual(3);
    for (const { source } of mounts) expect(existsSync(resolve(ROOT, source))).toBe(true);
    for (const volume of Object.values(services).flatMap((s) => s.volumes ?? [])) {
      if (!volume.startsWith('./')) expect(Object.keys(compose.volumes ?? {})).toContain(volume.split(':')[0]);
    }
  });

  it('points Prometheus at its config, which promtool accepts and which scrapes the balancer every 5 s', () => {
    const [config] = bindMounts('prometheus');
    expect(config.source).toBe('./observability/prometheus.yml');
    expect(services.prometheus.command).toContain(`--config.file=${config.target}`);
    expect(services.prometheus.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);

    const check = promtool(['check', 'config', resolve(ROOT, config.source)]);
    expect(check.output).toContain('SUCCESS');
    expect(check.status).toBe(0);

    const prometheus = z
      .object({
        global: z.object({ scrape_interval: z.string() }),
        scrape_configs: z.array(
          z.object({
            job_name: z.string(),
            metrics_path: z.string(),
            static_configs: z.array(z.object({ targets: z.array(z.string()) })),
          }),
        ),
      })
      .parse(parseYaml(read(config.source)));
    expect(prometheus.global.scrape_interval).toBe('5s');
    expect(prometheus.scrape_configs).toHaveLength(1);
    const [job] = prometheus.scrape_configs;
    expect(job.job_name).toBe('loadex');
    expect(job.metrics_path).toBe('/metrics');
    const port = services.loadex.ports![0].split(':')[1];
    expect(job.static_configs.flatMap((s) => s.targets)).toEqual([`loadex:${port}`, `loadex-2:${port}`]);
    expect(services.prometheus.depends_on).toEqual(['loadex', 'loadex-2']);
  });

  it('provisions Grafana (admin/admin) with the Prometheus datasource and the dashboard as home page', () => {
    const grafana = services.grafana;
    expect(grafana.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
    expect(grafana.environment).toMatchObject({ GF_SECURITY_ADMIN_USER: 'admin', GF_SECURITY_ADMIN_PASSWORD: 'admin' });
    const mounts = bindMounts('grafana');
    const provisioning = mounts.find((m) => m.target === '/etc/grafana/provisioning');
    const dashboardFile = mounts.find((m) => m.source === './observability/grafana-dashboard.json');
    expect(provisioning?.source).toBe('./observability/grafana/provisioning');
    expect(dashboardFile).toBeDefined();
    expect(grafana.environment!.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(dashboardFile!.target);

    const dir = resolve(ROOT, provisioning!.source);
    const yamlIn = (sub: string) =>
      readdirSync(join(dir, sub))
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => parseYaml(readFileSync(join(dir, sub, f), 'utf8')) as unknown);

    const datasources = yamlIn('datasources').flatMap(
      (f) =>
        z
          .object({
            apiVersion: z.literal(1),
            datasources: z.array(z.object({ name: z.string(), uid: z.string(), type: z.string(), url: z.string() })),
          })
          .parse(f).datasources,
    );
    expect(datasources).toHaveLength(1);
    const [datasource] = datasources;
    expect(datasource.type).toBe('prometheus');
    expect(datasource.url).toBe(`http://prometheus:${services.prometheus.ports![0].split(':')[1]}`);

    const providers = yamlIn('dashboards').flatMap(
      (f) =>
        z
          .object({
            apiVersion: z.literal(1),
            providers: z.array(z.object({ type: z.literal('file'), options: z.object({ path: z.string() }) })),
          })
          .parse(f).providers,
    );
    expect(providers.map((p) => p.options.path)).toEqual([posix.dirname(dashboardFile!.target)]);

    // Every panel and every query uses the provisioned datasource, by its fixed uid.
    const dashboard = z
      .object({
        uid: z.string(),
        panels: z.array(
          z.object({
            title: z.string(),
            datasource: z.object({ type: z.string(), uid: z.string() }),
            targets: z.array(z.object({ expr: z.string(), datasource: z.object({ uid: z.string() }) })),
          }),
        ),
      })
      .parse(JSON.parse(read(dashboardFile!.source)));
    for (const panel of dashboard.panels) {
      expect([panel.title, panel.datasource.uid]).toEqual([panel.title, datasource.uid]);
      for (const target of panel.targets)
        expect([panel.title, target.datasource.uid]).toEqual([panel.title, datasource.uid]);
    }
  });
});

describe('the Grafana dashboard', () => {
  const dashboard = JSON.parse(read('observability/grafana-dashboard.json')) as {
    panels: Array<{
      title: string;
      type: string;
      options?: { pieType?: string };
      fieldConfig: { defaults: { custom?: { stacking?: { mode: string } } } };
      targets: Array<{ expr: string }>;
    }>;
  };
  const panel = (title: string) => {
    const found = dashboard.panels.find((p) => p.title === title);
    if (!found) throw new Error(`no panel "${title}"`);
    return found;
  };

  it("has the original's panels and the new ones, each querying golb_ metrics that exist", () => {
    expect(
      panel('Request latency (P50 / P95 / P99)').targets.map((t) => t.expr.match(/^histogram_quantile\(([\d.]+)/)?.[1]),
    ).toEqual(['0.50', '0.95', '0.99']);
    // WebSocket sessions (101) are requests, but their length is no latency.
    for (const target of panel('Request latency (P50 / P95 / P99)').targets) {
      expect(target.expr).toMatch(/golb_request_duration_seconds_bucket\{status!="101"[,}]/);
    }
    const throughput = panel('Throughput per backend (stacked RPS)');
    expect(throughput.fieldConfig.defaults.custom?.stacking?.mode).toBe('normal');
    expect(throughput.targets[0].expr).toContain('golb_requests_total');
    const distribution = panel('Load distribution');
    expect([distribution.type, distribution.options?.pieType]).toEqual(['piechart', 'donut']);
    expect(panel('5xx error rate per backend').targets[0].expr).toContain('status=~"5.."');
    expect(panel('Backend up / down').targets[0].expr).toContain(METRIC.backendUp);
    expect(panel('Active requests per backend').targets[0].expr).toContain(METRIC.activeRequests);
    expect(panel('Retries per backend').targets[0].expr).toContain(METRIC.retries);
    expect(panel('Health-check failures').targets[0].expr).toContain(`${METRIC.healthChecks}{result="fail"`);

    const exported: string[] = Object.values(METRIC);
    for (const { title, targets } of dashboard.panels) {
      for (const { expr } of targets) {
        for (const name of expr.match(/\bgolb_[a-z_]+/g) ?? []) {
          const base = name.replace(/_(bucket|sum|count)$/, '');
          expect([title, exported.includes(name) || exported.includes(base)]).toEqual([title, true]);
        }
      }
    }
  });
});

describe('the Grafana dashboard across replicas', () => {
  const dashboard = JSON.parse(read('observability/grafana-dashboard.json')) as {
    templating: {
      list: Array<{ name: string; type: string; query: { query: string }; includeAll: boolean; allValue: string }>;
    };
    panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
  };

  it('has an instance variable over the scraped replicas, and every query filters by it', () => {
    const variable = dashboard.templating.list.find((v) => v.name === 'instance');
    expect(variable).toMatchObject({ type: 'query', includeAll: true, allValue: '.+' });
    expect(variable!.query.query).toMatch(/^label_values\(.+, instance\)$/);
    for (const { title, targets } of dashboard.panels) {
      for (const { expr } of targets) {
        const selectors = expr.match(/\b(golb_[a-z_]+|process_[a-z_]+|nodejs_[a-z0-9_]+)(\{[^}]*\})?/g) ?? [];
        expect([title, selectors.length > 0]).toEqual([title, true]);
        for (const selector of selectors)
          expect([title, selector]).toEqual([title, expect.stringContaining('instance=~"$instance"')]);
      }
    }
    expect(dashboard.panels.find((p) => p.title === 'Requests per instance')?.targets[0].expr).toMatch(
      /^sum by \(instance\)/,
    );
  });
});

describe('Dockerfile', () => {
  const text = read('Dockerfile');
  const dockerfile = DockerfileParser.parse(text);
  const args = (i: Instruction) => i.getArguments().map((a) => a.getValue());

  /** Instructions grouped by build stage, in order; the last stage is the image. */
  const stages: Array<{ name: string; image: string; instructions: Instruction[] }> = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const from = dockerfile.getFROMs()[stages.length];
      stages.push({ name: from.getBuildStage() ?? '', image: from.getImage() ?? '', instructions: [] });
    } else if (stages.length) stages[stages.length - 1].instructions.push(instruction);
  }
  const runtime = stages[stages.length - 1];
  const stage = (name: string) => stages.find((s) => s.name === name)!;
  const keyword = (s: (typeof stages)[number], k: string) => s.instructions.filter((i) => i.getKeyword() === k);
  const runs = (s: (typeof stages)[number]) => keyword(s, 'RUN').map((i) => i.getArgumentsContent() ?? '');

  it('lints clean', () => {
    expect(lintDockerfile(text)).toEqual([]);
  });

  it('builds every stage on the Node 24 LTS alpine image', () => {
    const initialArgs = new Map(
      dockerfile.getInitialARGs().map((a) => [a.getProperty()!.getName(), a.getProperty()!.getValue()]),
    );
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) {
      const image = s.image.replace(/^\$\{(\w+)\}$/, (_, name: string) => initialArgs.get(name) ?? '');
      expect(image).toBe('node:24-alpine');
    }
  });

  it('builds with npm ci and npm run build, and ships only production dependencies', () => {
    expect(runs(stage('build')).join('\n')).toMatch(/npm ci\b[^\n]*\n?[\s\S]*npm run build/);
    expect(runs(stage('prod-deps')).join('\n')).toMatch(/npm ci --omit=dev/);
    const copies = keyword(runtime, 'COPY').map((c) => ({
      from: dockerfile
        .getCOPYs()
        .find((x) => x.getRange().start.line === c.getRange().start.line)
        ?.getFromFlag()
        ?.getValue(),
      args: args(c),
    }));
    expect(copies).toContainEqual({ from: 'prod-deps', args: ['/app/node_modules', './node_modules'] });
    expect(copies).toContainEqual({ from: 'build', args: ['/app/dist', './dist'] });
    expect(runs(runtime).join('\n')).not.toMatch(/npm (ci|install|i)\b/);

    // Every package the three bundles load at run time is a production dependency.
    const pkg = z
      .object({ dependencies: z.record(z.string(), z.string()), bin: z.record(z.string(), z.string()) })
      .parse(JSON.parse(read('package.json')));
    for (const app of ['balancer', 'cli', 'backend']) {
      const bundle = read(`dist/apps/${app}/main.js`);
      const packages = new Set<string>();
      for (const [, spec] of bundle.matchAll(/require\("([^".][^"]*)"\)/g)) {
        if (spec.startsWith('node:')) continue;
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
      }
      for (const [, name] of bundle.matchAll(/node_modules\/((?:@[\w.-]+\/)?[\w.-]+)\//g)) packages.add(name);
      expect(packages.size).toBeGreaterThan(2);
      for (const name of packages) expect([app, name, name in pkg.dependencies]).toEqual([app, name, true]);
    }
  });

  it('copies only sources that exist and that .dockerignore lets through', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const copy of dockerfile.getCOPYs()) {
      if (copy.getFromFlag()) continue;
      const sources = args(copy).slice(0, -1);
      for (const source of sources) {
        expect([source, existsSync(resolve(ROOT, source))]).toEqual([source, true]);
        expect(ignored).not.toContain(source);
      }
    }
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git']));
  });

  it('runs as a non-root user, with a HEALTHCHECK, the balancer as entrypoint and the other programs on PATH', () => {
    const users = keyword(runtime, 'USER').map((u) => args(u)[0]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users[users.length - 1]);

    const [healthcheck] = dockerfile.getHEALTHCHECKs();
    expect(keyword(runtime, 'HEALTHCHECK')).toHaveLength(1);
    expect(healthcheck.getSubcommand()?.getValue()).toBe('CMD');
    expect(healthcheck.getArgumentsContent()).toContain('$LOADEX_HEALTHCHECK_URL');
    const envs = keyword(runtime, 'ENV').map((e) => e.getArgumentsContent() ?? '');
    expect(envs).toContain('LOADEX_HEALTHCHECK_URL=http://127.0.0.1:8080/metrics');

    const [entrypoint] = keyword(runtime, 'ENTRYPOINT') as JSONInstruction[];
    const argv = entrypoint.getJSONStrings().map((s) => s.getJSONValue());
    expect(argv[0]).toBe('node');
    const main = argv[argv.length - 1];
    expect(main).toBe('dist/apps/balancer/main.js');
    expect(existsSync(resolve(ROOT, main))).toBe(true);

    // `loadex` and `loadex-backend` (the Compose entrypoints) and `loadbalancer` are linked onto PATH.
    const pkg = z.object({ bin: z.record(z.string(), z.string()) }).parse(JSON.parse(read('package.json')));
    const links = runs(runtime).join('\n');
    for (const [name, file] of Object.entries(pkg.bin)) {
      expect(links).toContain(`ln -s /app/${posix.normalize(file)} /usr/local/bin/${name}`);
      expect(statSync(resolve(ROOT, file)).mode & 0o111).not.toBe(0);
    }
    for (const s of Object.values(services)) {
      if (s.entrypoint && s.build) expect(Object.keys(pkg.bin)).toContain(s.entrypoint[0]);
    }
  });
});

describe('README.md', () => {
  const readme = read('README.md');

  it('points to the stack (docs/observability.md) with only ports the stack publishes, and where it shows `docker compose up`, its three URLs and every metric', () => {
    expect(readme).toContain('docs/observability.md');
    const published = new Set(
      Object.values(services).flatMap((service) => (service.ports ?? []).map((p) => p.split(':')[0])),
    );
    const ports = [...readme.matchAll(/http:\/\/localhost:(\d+)/g)].map((m) => m[1]);
    expect(ports.length).toBeGreaterThan(0);
    expect(ports.filter((port) => !published.has(port))).toEqual([]);
    for (const [name] of readme.matchAll(/\bgolb_[a-z_]+/g)) expect(Object.values(METRIC)).toContain(name);
    const describesStack = readme.includes('docker compose up');
    const urls = describesStack ? ['8080', '9090', '3000'].map((port) => `http://localhost:${port}`) : [];
    const metrics = describesStack ? Object.values(METRIC) : [];
    expect([...urls, ...metrics].filter((text) => !readme.includes(text))).toEqual([]);
  });
});

describe('docs/observability.md', () => {
  const docs = read('docs/observability.md');

  it('documents every metric, every dashboard panel, the three URLs and the Compose commands', () => {
    for (const name of Object.values(METRIC)) expect(docs).toContain(`\`${name}\``);
    const dashboard = JSON.parse(read('observability/grafana-dashboard.json')) as { panels: Array<{ title: string }> };
    for (const { title } of dashboard.panels) expect(docs).toContain(`| ${title} |`);
    for (const port of ['8080', '9090', '3000']) expect(docs).toContain(`http://localhost:${port}`);
    expect(docs).toContain('docker compose up -d');
    expect(docs).toContain('`admin`, password `admin`');
    for (const name of Object.keys(services)) expect(docs).toContain(name.replace(/\d$/, ''));
  });

  it("documents the original's `docker compose run --rm loadex ... -algo leastconnection` form with flags the balancer accepts", async () => {
    const line = docs.split('\n').find((l) => l.startsWith('docker compose run --rm') && l.includes(' loadex '));
    expect(line).toBeDefined();
    const argv = line!.split(/\s+/);
    const flags = argv.slice(argv.indexOf('loadex') + 1);
    const config = await loadConfig(readCommandLine(flags, {}, '0.0.0'));
    expect(config.algorithm).toBe('leastconnection');
    expect(config.port).toBe(8080);
    expect(config.backends.map((b) => b.url.origin)).toEqual(
      BACKEND_SERVICES.map(({ name, port }) => `http://${name}:${port}`),
    );
  });
});

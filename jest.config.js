/**
 * Test groups (run one with `npx jest --selectProjects NAME`, or the npm scripts):
 *   unit  pure code: algorithms, pool, config parsing
 *   algo  algorithm behaviour through a real balancer and real backends
 *   e2e   the proxy path end to end with real processes and sockets
 *   chaos backends killed, hung and reset under load
 *   soak  2 minutes of load with a fault every 20 s (scripts/soak.ts), reports and RSS checked
 *   e2e-hpm, chaos-hpm  the same two groups against `--engine hpm` (LOADEX_TEST_ENGINE=hpm), less
 *         the e2e specs that never reach the forwarding engine (command line, health checks, heap
 *         flags, client-side limits: the same code with either engine), to keep CI short;
 *         e2e and chaos run the default engine, undici
 *   admin the admin REST API, security, persistence, SSE
 *   observability  /metrics with promtool and a real Prometheus; Compose and Grafana files
 *   cli   the built `loadex` binary against a real balancer
 *   browser  the dashboard in Debian's Chromium via playwright-core
 *   replicas several balancers sharing one --store (a real redis-server started by the tests)
 *   workers-2  --workers 2 (LOADEX_TEST_WORKERS=2): test/workers plus the most telling existing specs
 *         (proxy path, distribution, admin routes, metric values, SSE); every other group runs
 *         `--workers 1`, and LOADEX_TEST_WORKERS=2 runs any of them on two threads by hand
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
    },
    module: { type: 'commonjs' },
  },
];

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|http-proxy-middleware|httpxy|is-plain-obj|eventsource-parser)/)'],
  moduleNameMapper: {
    '^@loadex/(pool|algorithms|api)$': '<rootDir>/libs/$1/src',
    '^@loadex/(pool|algorithms|api)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
};

/** Sets LOADEX_TEST_WORKERS=2: test/support/processes.ts then starts balancers with --workers 2. */
const workers2 = '<rootDir>/test/support/workers-2.setup.js';
/** e2e specs whose subject never passes the forwarding engine: run once, not once per engine. */
const ENGINE_INDEPENDENT_E2E = ['/command-line\\.spec', '/health-checks\\.spec', '/heap-flags\\.spec', '/client-limits\\.spec'];

/** Sets LOADEX_TEST_ENGINE=hpm: test/support/processes.ts then starts balancers with --engine hpm. */
const hpm = '<rootDir>/test/support/engine-hpm.setup.js';

module.exports = {
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    { ...common, displayName: 'algo', testMatch: ['<rootDir>/test/algo/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'] },
    { ...common, displayName: 'chaos', testMatch: ['<rootDir>/test/chaos/**/*.spec.ts'] },
    { ...common, displayName: 'soak', testMatch: ['<rootDir>/test/soak/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e-hpm',
      testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'],
      testPathIgnorePatterns: ENGINE_INDEPENDENT_E2E,
      setupFiles: [hpm],
    },
    { ...common, displayName: 'chaos-hpm', testMatch: ['<rootDir>/test/chaos/**/*.spec.ts'], setupFiles: [hpm] },
    { ...common, displayName: 'admin', testMatch: ['<rootDir>/test/admin/**/*.spec.ts'] },
    { ...common, displayName: 'observability', testMatch: ['<rootDir>/test/observability/**/*.spec.ts'] },
    { ...common, displayName: 'cli', testMatch: ['<rootDir>/test/cli/**/*.spec.ts'] },
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.spec.ts'] },
    { ...common, displayName: 'replicas', testMatch: ['<rootDir>/test/replicas/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'workers-2',
      testMatch: [
        '<rootDir>/test/workers/**/*.spec.ts',
        '<rootDir>/test/e2e/proxy-path.spec.ts',
        '<rootDir>/test/e2e/distribution-and-health.spec.ts',
        '<rootDir>/test/admin/routes.spec.ts',
        '<rootDir>/test/admin/events.spec.ts',
        '<rootDir>/test/observability/metric-values.spec.ts',
        // The retry budget's refusals reach the main thread's metrics through the traffic ring.
        '<rootDir>/test/e2e/sticky-budget-access-log.spec.ts',
      ],
      setupFiles: [workers2],
    },
  ],
};

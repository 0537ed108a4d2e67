// Jest setup file of the e2e-hpm and chaos-hpm projects: balancers started by test/support/processes.ts
// get `--engine hpm`, so the e2e and chaos groups also run against the http-proxy-middleware engine.
process.env.LOADEX_TEST_ENGINE = 'hpm';

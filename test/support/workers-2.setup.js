// Jest setup file of the workers-2 project: balancers started by test/support/processes.ts get
// `--workers 2` (unless a test names a count), so the proxy path, distribution, admin routes and
// metric values also run on two data-plane threads.
process.env.LOADEX_TEST_WORKERS = '2';

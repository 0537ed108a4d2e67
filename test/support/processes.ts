import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { waitFor } from './http';

/**
 * Real processes for tests: the built balancer and demo backends on 127.0.0.1, each on a port the
 * OS picks (--port 0), learnt from the process's own "listening on" line. Everything started here
 * is killed by `stopAll()` (call it in afterAll / afterEach).
 */
export const ROOT = resolve(__dirname, '../..');
export const BALANCER_MAIN = resolve(ROOT, 'dist/apps/balancer/main.js');
export const BACKEND_MAIN = resolve(ROOT, 'dist/apps/backend/main.js');
export const CLI_MAIN = resolve(ROOT, 'dist/apps/cli/main.js');

const started = new Set<ChildProcess>();

export interface RunningProcess {
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** What it printed on stdout alone, and on stderr alone. */
  stdout(): string;
  stderr(): string;
  /** Sends a signal and waits for the process to exit; resolves with its exit code (or signal). */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
  exited: Promise<number | string>;
  /** Resolves once the process exited and its output is read to the end. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ProcessOptions {
  /** Added to (or, with `undefined`, removed from) the test's environment; NO_COLOR=1 by default. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** SIGKILL after this long, so that no run outlives its test. */
  killAfterMs?: number;
}

/**
 * The one process runner: `command args` with stdout and stderr captured, tracked so that
 * `stopAll()` kills it. Every other helper that starts a process (balancer, backend, CLI,
 * Prometheus) goes through here.
 */
export function startProcess(command: string, args: string[], options: ProcessOptions = {}): RunningProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...options.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  let output = '';
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
    output += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    output += d.toString();
  });
  const killer = options.killAfterMs ? setTimeout(() => child.kill('SIGKILL'), options.killAfterMs) : undefined;
  const exited = new Promise<number | string>((done) =>
    child.once('exit', (code, signal) => {
      started.delete(child);
      clearTimeout(killer);
      done(code ?? signal ?? -1);
    }),
  );
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('close', (code, signal) => done({ code, signal })),
  );
  return {
    child,
    output: () => output,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    closed,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

function run(main: string, args: string[], env: NodeJS.ProcessEnv = {}): RunningProcess {
  return startProcess(process.execPath, [main, ...args], { env });
}

/** Resolves with the first match of `pattern` in the process's output; rejects if it exits first. */
export async function waitForOutput(
  proc: RunningProcess,
  pattern: RegExp,
  timeoutMs = 20_000,
): Promise<RegExpMatchArray> {
  return waitForOutputAfter(proc, pattern, 0, timeoutMs);
}

/** `waitForOutput` for the output printed after the first `mark` characters. */
export async function waitForOutputAfter(
  proc: RunningProcess,
  pattern: RegExp,
  mark: number,
  timeoutMs = 20_000,
): Promise<RegExpMatchArray> {
  let match: RegExpMatchArray | null = null;
  await waitFor(
    () => {
      match = proc.output().slice(mark).match(pattern);
      if (match) return true;
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
        throw new Error(
          `process exited (${proc.child.exitCode ?? proc.child.signalCode}) before printing ${pattern}:\n${proc.output().slice(-3000)}`,
        );
      }
      return false;
    },
    timeoutMs,
    20,
    () => `${pattern} in the output:\n${proc.output().slice(-3000)}\n`,
  );
  return match!;
}

export interface DemoBackend extends RunningProcess {
  port: number;
  url: string;
  /** PUT /control: make it sick, slow or flaky. */
  control(change: { healthy?: boolean; latencyMs?: number; failRate?: number }): Promise<void>;
  /** GET /control: its switches and how many requests it served on / and /echo. */
  status(): Promise<{ healthy: boolean; latencyMs: number; failRate: number; served: number; port: number }>;
}

/**
 * Starts a demo backend on 127.0.0.1: on a port the OS picks, on `port` when given (a fixed one
 * brings a killed backend back), or with exactly the given command-line `args`.
 */
export async function startBackend(portOrArgs: number | string[] = 0): Promise<DemoBackend> {
  const args = Array.isArray(portOrArgs) ? portOrArgs : ['--port', String(portOrArgs), '--host', '127.0.0.1'];
  const proc = run(BACKEND_MAIN, args);
  const [, port] = await waitForOutput(proc, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
  const url = `http://127.0.0.1:${port}`;
  return {
    ...proc,
    port: Number(port),
    url,
    async control(change) {
      const res = await fetch(`${url}/control`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(change),
      });
      if (!res.ok) throw new Error(`PUT /control ${res.status}: ${await res.text()}`);
    },
    async status() {
      return (await fetch(`${url}/control`)).json() as Promise<Awaited<ReturnType<DemoBackend['status']>>>;
    },
  };
}

export async function startBackends(n: number): Promise<DemoBackend[]> {
  return Promise.all(Array.from({ length: n }, () => startBackend()));
}

/** How many requests the demo backends served together, by their own count (GET /control). */
export async function totalServed(backends: DemoBackend[]): Promise<number> {
  const all = await Promise.all(backends.map((b) => b.status()));
  return all.reduce((sum, s) => sum + s.served, 0);
}

export interface Balancer extends RunningProcess {
  port: number;
  url: string;
  /** The admin listener when --admin-port was given, else the proxy's own URL. */
  adminUrl: string;
}

/**
 * The forwarding engine the tests run against: `LOADEX_TEST_ENGINE=hpm` (the jest projects
 * e2e-hpm and chaos-hpm set it) adds `--engine hpm` unless a test names an engine itself.
 */
function withTestEngine(args: string[]): string[] {
  const engine = process.env.LOADEX_TEST_ENGINE;
  return engine && !args.includes('--engine') ? [...args, '--engine', engine] : args;
}

/**
 * The data-plane threads the tests run with: `LOADEX_TEST_WORKERS=2` (the jest project workers-2
 * sets it) adds `--workers 2` unless a test names a count itself; by default `--workers 1`, the
 * proxy on the main thread, so a test's outcome does not depend on the machine's core count.
 */
function withTestWorkers(args: string[]): string[] {
  return args.includes('--workers') ? args : [...args, '--workers', process.env.LOADEX_TEST_WORKERS ?? '1'];
}

/** Starts the built balancer with `args` (add --backends yourself); --port 0 unless given. */
export async function startBalancer(givenArgs: string[], env: NodeJS.ProcessEnv = {}): Promise<Balancer> {
  const args = withTestWorkers(withTestEngine(givenArgs));
  const withPort = args.some((a) => a === '--port' || a === '-port') ? args : ['--port', '0', ...args];
  const withHost = withPort.includes('--host') ? withPort : ['--host', '127.0.0.1', ...withPort];
  const proc = run(BALANCER_MAIN, withHost, env);
  const match = await waitForOutput(proc, /listening on http:\/\/[^\s]+:(\d+)(?: \(admin on http:\/\/[^\s]+:(\d+)\))?/);
  const url = `http://127.0.0.1:${match[1]}`;
  return { ...proc, port: Number(match[1]), url, adminUrl: match[2] ? `http://127.0.0.1:${match[2]}` : url };
}

/** Runs the balancer expecting it to exit by itself (bad flags); returns its exit code and output. */
export async function runBalancerToExit(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | string; output: string }> {
  const proc = startProcess(process.execPath, [BALANCER_MAIN, ...args], { env, killAfterMs: 20_000 });
  await proc.closed;
  return { code: await proc.exited, output: proc.output() };
}

/** Kills everything these helpers started. */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...started].map(async (child) => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    }),
  );
}

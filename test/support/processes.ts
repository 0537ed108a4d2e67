import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

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
  /** Sends a signal and waits for the process to exit; resolves with its exit code (or signal). */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
  exited: Promise<number | string>;
}

function run(main: string, args: string[], env: NodeJS.ProcessEnv = {}): RunningProcess {
  const child = spawn(process.execPath, [main, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | string>((done) =>
    child.once('exit', (code, signal) => {
      started.delete(child);
      done(code ?? signal ?? -1);
    }),
  );
  return {
    child,
    output: () => output,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Resolves with the first match of `pattern` in the process's output; rejects if it exits first. */
export async function waitForOutput(
  proc: RunningProcess,
  pattern: RegExp,
  timeoutMs = 20_000,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = proc.output().match(pattern);
    if (match) return match;
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(
        `process exited (${proc.child.exitCode ?? proc.child.signalCode}) before printing ${pattern}:\n${proc.output()}`,
      );
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface DemoBackend extends RunningProcess {
  port: number;
  url: string;
  /** PUT /control: make it sick, slow or flaky. */
  control(change: { healthy?: boolean; latencyMs?: number; failRate?: number }): Promise<void>;
  /** GET /control: its switches and how many requests it served on / and /echo. */
  status(): Promise<{ healthy: boolean; latencyMs: number; failRate: number; served: number; port: number }>;
}

export async function startBackend(): Promise<DemoBackend> {
  const proc = run(BACKEND_MAIN, ['--port', '0', '--host', '127.0.0.1']);
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

/** Starts the built balancer with `args` (add --backends yourself); --port 0 unless given. */
export async function startBalancer(givenArgs: string[], env: NodeJS.ProcessEnv = {}): Promise<Balancer> {
  const args = withTestEngine(givenArgs);
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
  const proc = run(BALANCER_MAIN, args, env);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 20_000);
  const code = await proc.exited;
  clearTimeout(timer);
  return { code, output: proc.output() };
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

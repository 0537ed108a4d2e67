import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { CLI_MAIN, ROOT } from '../support/processes';

/**
 * The built `loadex` CLI as a subprocess (`node dist/apps/cli/main.js ...`), stdout and stderr
 * captured separately. Never a terminal here (pipes): no colour, no banner, no progress bar.
 */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  done: Promise<CliResult>;
}

/** The environment without the CLI's own variables, so a test sets exactly what it means. */
function cleanEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.LOADEX_URL;
  delete base.LOADEX_ADMIN_TOKEN;
  delete base.FORCE_COLOR;
  return { ...base, ...env };
}

const running = new Set<ChildProcess>();

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 90_000): RunningCli {
  const child = spawn(process.execPath, [CLI_MAIN, ...args], {
    cwd: ROOT,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<CliResult>((resolve) =>
    child.once('close', (code, signal) => {
      clearTimeout(killer);
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

/** Runs `loadex ARGS` to its end. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return startCli(args, env).done;
}

/** Runs `loadex ARGS --json`, expects exit 0 and returns the parsed JSON. */
export async function runCliJson<T>(args: string[], env: NodeJS.ProcessEnv = {}): Promise<T> {
  const result = await runCli([...args, '--json'], env);
  if (result.code !== 0) {
    throw new Error(`loadex ${args.join(' ')} --json exited ${result.code}: ${result.stderr}${result.stdout}`);
  }
  return JSON.parse(result.stdout) as T;
}

/** Kills every CLI process a test left running. */
export function stopAllCli(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** A port nothing listens on: bound by the OS, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A stack trace line, which the CLI must never print. */
export const STACK_TRACE = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

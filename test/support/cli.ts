import type { ChildProcess } from 'node:child_process';
import { CLI_MAIN, startProcess } from './processes';

/**
 * The built `loadex` CLI as a subprocess (`node dist/apps/cli/main.js ...`) through the one process
 * runner, stdout and stderr captured separately. Never a terminal here (pipes): no colour, no
 * banner, no progress bar.
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

/** The CLI's own variables are removed, so a test sets exactly what it means. */
const WITHOUT_CLI_VARIABLES: NodeJS.ProcessEnv = {
  LOADEX_URL: undefined,
  LOADEX_ADMIN_TOKEN: undefined,
  FORCE_COLOR: undefined,
  NO_COLOR: process.env.NO_COLOR,
};

const running = new Set<ChildProcess>();

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 90_000): RunningCli {
  const proc = startProcess(process.execPath, [CLI_MAIN, ...args], {
    env: { ...WITHOUT_CLI_VARIABLES, ...env },
    killAfterMs: timeoutMs,
  });
  running.add(proc.child);
  const done = proc.closed.then(({ code, signal }) => {
    running.delete(proc.child);
    return { code, signal, stdout: proc.stdout(), stderr: proc.stderr() };
  });
  return { child: proc.child, stdout: proc.stdout, stderr: proc.stderr, done };
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

/** A stack trace line, which the CLI must never print. */
export const STACK_TRACE = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

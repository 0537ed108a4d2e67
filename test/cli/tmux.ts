import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { waitFor } from '../support/http';

/**
 * A real pseudo-terminal for the CLI: a detached session of Debian's tmux on its own socket (so it
 * never touches anyone else's tmux server). `capture()` is what a person would see on the screen.
 */
let sessions = 0;

export class TmuxSession {
  /** One tmux server per session: a new one never races the shutdown of the last one. */
  private readonly socket = `loadex-cli-test-${process.pid}-${++sessions}`;
  private started = false;

  constructor(private readonly name = 'cli') {}

  private tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Runs a shell command line in a terminal of 160 columns and `rows` rows. */
  start(commandLine: string, rows = 40): void {
    this.tmux(['new-session', '-d', '-s', this.name, '-x', '160', '-y', String(rows), commandLine]);
    this.started = true;
  }

  /** The visible screen, as plain text (with `escapes`, including colour escape sequences). */
  capture(escapes = false): string {
    return this.tmux(['capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', this.name]);
  }

  sendKeys(...keys: string[]): void {
    this.tmux(['send-keys', '-t', this.name, ...keys]);
  }

  /** A tmux format for the pane, e.g. `#{cursor_flag}` (1: cursor visible), `#{alternate_on}`. */
  display(format: string): string {
    return this.tmux(['display-message', '-p', '-t', this.name, format]).trim();
  }

  /** Waits until the screen matches `pattern`; the last screen is in the error otherwise. */
  async waitForScreen(pattern: RegExp, timeoutMs = 20_000, escapes = false): Promise<string> {
    let screen = '';
    try {
      await waitFor(() => pattern.test((screen = this.capture(escapes))), timeoutMs, 100);
    } catch {
      throw new Error(`screen never matched ${pattern}:\n${screen}`);
    }
    return screen;
  }

  /** Ends the session and its tmux server, and removes the server's socket file. */
  kill(): void {
    if (!this.started) return;
    this.started = false;
    try {
      const socketPath = this.tmux(['display-message', '-p', '#{socket_path}']).trim();
      this.tmux(['kill-server']);
      if (socketPath) rmSync(socketPath, { force: true });
    } catch {
      // already gone
    }
  }
}

/** Quotes one word for the shell line tmux runs. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

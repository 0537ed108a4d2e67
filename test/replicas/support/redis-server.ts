import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from '../../support/free-port';

/**
 * A real `redis-server` (Debian's) for the replica tests: on a free port on 127.0.0.1, nothing
 * saved to disk. It can be paused (SIGSTOP: connected but silent), resumed, killed and started
 * again on the same port (empty, as a Redis without persistence comes back).
 */
export class RedisServer {
  private child: ChildProcess | undefined;
  private output = '';

  private constructor(
    readonly port: number,
    /** `--requirepass`: clients must give it (in the URL: `redis://:PASSWORD@host:port/db`). */
    readonly password?: string,
  ) {}

  /** On a free port; the port is chosen just before redis-server binds it, so a lost race tries another. */
  static async start(password?: string): Promise<RedisServer> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await RedisServer.startOn(await freePort(), password);
      } catch (err) {
        if (attempt >= 3 || !/Address already in use/i.test(String(err))) throw err;
      }
    }
  }

  static async startOn(port: number, password?: string): Promise<RedisServer> {
    const server = new RedisServer(port, password);
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://${this.password ? `:${this.password}@` : ''}127.0.0.1:${this.port}/0`;
  }

  /** Starts it (again) on its port and waits until it accepts connections. */
  async restart(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      throw new Error('redis-server is still running');
    }
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--loglevel',
        'warning',
        ...(this.password ? ['--requirepass', this.password] : []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    const deadline = Date.now() + 15_000;
    // Ready when the server answering on the port is this child (not another test's, had the port
    // been taken between freePort and the bind: then this one exits with "Address already in use").
    while (!(await this.cli('INFO', 'server')).includes(`process_id:${child.pid}\r`)) {
      if (child.exitCode !== null) throw new Error(`redis-server exited: ${this.output}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not answer PING: ${this.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** SIGKILL, and waits for it to be gone (a paused one is resumed so it can die). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    child.kill('SIGCONT');
    await exited;
  }

  /** One command through `redis-cli` (raw output, trimmed). */
  cli(...args: string[]): Promise<string> {
    return new Promise((resolve) => {
      const auth = this.password ? ['-a', this.password, '--no-auth-warning'] : [];
      const child = spawn('redis-cli', ['-h', '127.0.0.1', '-p', String(this.port), ...auth, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.once('close', () => resolve(out.trim()));
      child.once('error', () => resolve(''));
    });
  }
}

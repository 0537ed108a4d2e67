import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { All, BadRequestException, Body, Controller, Get, HttpCode, Put, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { BackendControl, controlSchema } from './backend-control';
import { BackendPort } from './backend-port';

/** The demo backend's routes: the original's text at /, health, an echo for tests, and /control. */
@Controller()
export class BackendController {
  constructor(
    private readonly control: BackendControl,
    private readonly port: BackendPort,
  ) {}

  @Get('health')
  health(@Res() res: Response): void {
    res
      .status(this.control.healthy ? 200 : 503)
      .type('text/plain')
      .send(this.control.healthy ? 'OK' : 'UNHEALTHY');
  }

  @Get('control')
  readControl() {
    return this.control.snapshot(this.port.value);
  }

  @Put('control')
  @HttpCode(200)
  setControl(@Body() body: unknown) {
    const parsed = controlSchema.safeParse(body);
    if (!parsed.success) {
      throw new BadRequestException(
        parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
      );
    }
    this.control.update(parsed.data);
    return this.control.snapshot(this.port.value);
  }

  @Get()
  async root(@Res() res: Response): Promise<void> {
    if (!(await this.serve(res))) return;
    res.type('text/plain').send(`Response from backend: http://localhost:${this.port.value}`);
  }

  /** Streams the body through sha256 (nothing buffered whole) and describes what arrived. */
  @All('echo')
  async echo(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.reportDelivery(req);
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      hash.update(chunk);
    }
    if (!(await this.serve(res))) return;
    res.json({
      method: req.method,
      path: req.originalUrl,
      headers: req.headers,
      bytes,
      sha256: hash.digest('hex'),
      port: this.port.value,
    });
  }

  /**
   * A request tagged `X-Write-Id` (the chaos tests and the soak tag their POSTs) is printed as
   * `write <id>` the moment it arrives, so a test can prove no write was delivered twice, across
   * backends and even when one is SIGKILLed right after: stdout to a pipe is synchronous on Linux.
   */
  private reportDelivery(req: Request): void {
    const id = req.headers['x-write-id'];
    if (typeof id === 'string' && /^[\w.-]{1,64}$/.test(id)) process.stdout.write(`write ${id}\n`);
  }

  /** Counts the request, applies the configured latency and failure rate; false when it failed. */
  private async serve(res: Response): Promise<boolean> {
    this.control.served++;
    if (this.control.latencyMs > 0) await sleep(this.control.latencyMs);
    if (this.control.shouldFail()) {
      res.status(500).type('text/plain').send(`injected failure from backend ${this.port.value}`);
      return false;
    }
    return true;
  }
}

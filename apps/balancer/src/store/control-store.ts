import { Injectable } from '@nestjs/common';
import { CHANGES_CHANNEL, CONTROL_KEYS, CONTROL_SCRIPT } from './control-script';
import { type ControlSnapshot, type ScriptReply, toSnapshot } from './control-snapshot';
import { CHANGE_DEADLINE_MS, StoreConnection } from './store-connection';
import { StoreUnavailableError } from './store-errors';

export type ControlOp = 'read' | 'seed' | 'algorithm' | 'add' | 'update' | 'remove';

/** What the script answered (`CREATED`, `MISSING`, `EXPIRED`, ...) and the state right after it. */
export interface ControlResult {
  code: string;
  snapshot: ControlSnapshot;
}

/**
 * Runs the control script (`control-script.ts`) on the store: one round trip, atomic. Fails with
 * `StoreUnavailableError` at once while the store is known to be down (nothing is sent, so nothing
 * can change), or when Redis does not answer in time.
 */
@Injectable()
export class ControlStore {
  constructor(private readonly connection: StoreConnection) {}

  async run(op: ControlOp, ...args: Array<string | number>): Promise<ControlResult> {
    const reason = this.connection.unavailableReason();
    if (reason) throw new StoreUnavailableError(reason);
    let reply: ScriptReply;
    try {
      reply = (await this.connection.commands.eval(
        CONTROL_SCRIPT,
        CONTROL_KEYS.length,
        ...CONTROL_KEYS,
        op,
        CHANGES_CHANNEL,
        Date.now() + CHANGE_DEADLINE_MS,
        ...args,
      )) as ScriptReply;
    } catch (err) {
      this.connection.failed(err);
      throw new StoreUnavailableError(this.connection.unavailableReason() ?? (err as Error).message);
    }
    this.connection.answered();
    return { code: reply[0], snapshot: toSnapshot(reply) };
  }
}

import { Command } from 'nest-commander';
import { BackendCommand } from './backend-command';
import type { TargetOptions } from './target-option';

@Command({ name: 'undrain', description: 'put a drained backend back into rotation' })
export class UndrainCommand extends BackendCommand {
  override async run(_params: string[], options: TargetOptions): Promise<void> {
    const backend = await this.api.updateBackend(options.target, { state: 'active' });
    this.output.result(backend, () => `active again ${this.formatter.backendLine(backend)}`);
  }
}

import { Command } from 'nest-commander';
import { BackendCommand } from './backend-command';
import type { TargetOptions } from './target-option';

@Command({
  name: 'drain',
  description: 'drain a backend: no new requests, in-flight ones finish (undo with undrain)',
})
export class DrainCommand extends BackendCommand {
  override async run(_params: string[], options: TargetOptions): Promise<void> {
    const backend = await this.api.updateBackend(options.target, { state: 'draining' });
    this.output.result(backend, () => `draining ${this.formatter.backendLine(backend)}`);
  }
}

import { Command } from 'nest-commander';
import { BackendCommand } from './backend-command';
import type { TargetOptions } from './target-option';

@Command({
  name: 'remove-server',
  description: 'remove a backend: it takes no new requests, its in-flight ones finish',
})
export class RemoveServerCommand extends BackendCommand {
  override async run(_params: string[], options: TargetOptions): Promise<void> {
    const backend = await this.api.removeBackend(options.target);
    this.output.result(backend, () => `removed ${this.formatter.backendLine(backend)}`);
  }
}

import { Command, Option } from 'nest-commander';
import { parseWeight } from '../settings/option-parsers';
import { BackendCommand } from './backend-command';
import { type TargetOptions, WEIGHT_OPTION } from './target-option';

interface AddServerOptions extends TargetOptions {
  weight?: number;
}

@Command({
  name: 'add-server',
  description: 'add a backend to the pool (adding one that is already there changes nothing)',
})
export class AddServerCommand extends BackendCommand<AddServerOptions> {
  override async run(_params: string[], options: AddServerOptions): Promise<void> {
    const { backend, created } = await this.api.addBackend(options.target, options.weight);
    this.output.result({ created, backend }, () =>
      created
        ? `added ${this.formatter.backendLine(backend)}`
        : `already in the pool: ${this.formatter.backendLine(backend)}`,
    );
  }

  @Option({ ...WEIGHT_OPTION, description: 'its weight, an integer from 1 to 1000 (default 1)' })
  parseWeight(value: string): number {
    return parseWeight(value);
  }
}

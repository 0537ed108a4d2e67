import { Command, Option } from 'nest-commander';
import { parseWeight } from '../settings/option-parsers';
import { BackendCommand } from './backend-command';
import { type TargetOptions, WEIGHT_OPTION } from './target-option';

interface WeightOptions extends TargetOptions {
  weight: number;
}

@Command({ name: 'weight', description: "change a backend's weight" })
export class WeightCommand extends BackendCommand<WeightOptions> {
  override async run(_params: string[], options: WeightOptions): Promise<void> {
    const backend = await this.api.updateBackend(options.target, { weight: options.weight });
    this.output.result(backend, () => `weight set: ${this.formatter.backendLine(backend)}`);
  }

  @Option({ ...WEIGHT_OPTION, required: true })
  parseWeight(value: string): number {
    return parseWeight(value);
  }
}

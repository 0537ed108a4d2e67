import type { OptionMetadata } from 'nest-commander';

/** `-t, --target <url>`: the backend a pool command acts on (the original's flag). */
export const TARGET_OPTION: OptionMetadata = {
  flags: '-t, --target <url>',
  description: 'the backend URL, e.g. http://127.0.0.1:8001',
  required: true,
};

/** `-w, --weight <n>`: an integer from 1 to 1000. */
export const WEIGHT_OPTION: OptionMetadata = {
  flags: '-w, --weight <n>',
  description: 'the backend weight, an integer from 1 to 1000',
};

export interface TargetOptions {
  target: string;
}

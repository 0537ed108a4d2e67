// `npm run docs`: rewrites the README's generated tables from the settings and algorithm registries.
import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withGeneratedTables } from './readme-tables';

async function main(): Promise<void> {
  const file = join(__dirname, '..', 'README.md');
  const before = await readFile(file, 'utf8');
  const after = withGeneratedTables(before);
  if (after === before) {
    process.stdout.write('README.md is up to date\n');
    return;
  }
  await writeFile(file, after);
  process.stdout.write('README.md: generated tables rewritten\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`docs: ${(err as Error).message}\n`);
  process.exit(1);
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { README_TABLES, withGeneratedTables } from '../../scripts/readme-tables';
import { SETTING_DEFINITIONS } from '../../apps/balancer/src/config/settings-registry';

const README = join(__dirname, '..', '..', 'README.md');

describe("the README's generated tables", () => {
  const readme = readFileSync(README, 'utf8');

  it.each(Object.entries(README_TABLES))(
    '%s is what the registry writes (run `npm run docs` after a change)',
    (name, render) => {
      const start = `<!-- ${name}:start -->`;
      const from = readme.indexOf(start);
      const to = readme.indexOf(`<!-- ${name}:end -->`);
      expect(from).toBeGreaterThan(-1);
      expect(to).toBeGreaterThan(from);
      expect(readme.slice(from + start.length, to)).toBe(`\n${render()}\n`);
    },
  );

  it('the whole README is unchanged by regenerating it', () => {
    expect(withGeneratedTables(readme)).toBe(readme);
  });

  it('every setting appears in the flag table with its env name', () => {
    for (const setting of SETTING_DEFINITIONS) {
      expect(readme).toContain(`| \`--${setting.flag}\``);
      expect(readme).toContain(`\`${setting.env}\``);
    }
  });
});

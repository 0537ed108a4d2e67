import { algorithmsMarkdownTable } from '@loadex/algorithms';
import { settingsMarkdownTable } from '../apps/balancer/src/config/settings-docs';

/** The README's generated sections: the text between `<!-- NAME:start -->` and `<!-- NAME:end -->`. */
export const README_TABLES: Readonly<Record<string, () => string>> = {
  'settings-table': settingsMarkdownTable,
  'algorithms-table': algorithmsMarkdownTable,
};

/** The README with every generated section rewritten from its source. */
export function withGeneratedTables(readme: string): string {
  let text = readme;
  for (const [name, render] of Object.entries(README_TABLES)) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from === -1 || to < from) throw new Error(`README.md has no ${start} … ${end} section`);
    text = `${text.slice(0, from + start.length)}\n${render()}\n${text.slice(to)}`;
  }
  return text;
}

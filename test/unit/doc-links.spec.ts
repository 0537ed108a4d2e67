import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import MarkdownIt from 'markdown-it';

const ROOT = resolve(__dirname, '../..');
const DOCS = [
  'README.md',
  ...readdirSync(resolve(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];
const markdown = new MarkdownIt();

/** Every link and image target in a Markdown file, as markdown-it parses it (code is not a link). */
function targetsOf(file: string): string[] {
  const targets: string[] = [];
  const visit = (tokens: MarkdownIt.Token[]): void => {
    for (const token of tokens) {
      const target =
        token.type === 'link_open' ? token.attrGet('href') : token.type === 'image' ? token.attrGet('src') : null;
      if (target !== null) targets.push(String(target));
      if (token.children) visit(token.children);
    }
  };
  visit(markdown.parse(readFileSync(resolve(ROOT, file), 'utf8'), {}));
  return targets;
}

/** A target that names a file of this repository: no scheme, not only a fragment. */
function isRelative(target: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#');
}

describe('relative links in the README and docs/', () => {
  it('finds the docs and the links it checks', () => {
    expect(DOCS).toEqual(expect.arrayContaining(['README.md', 'docs/architecture.md', 'docs/performance.md']));
    expect(targetsOf('README.md').filter(isRelative)).toEqual(expect.arrayContaining(['docs/performance.md']));
  });

  it.each(DOCS)('%s: every relative link names a file inside the repository', (file) => {
    const broken: string[] = [];
    for (const target of targetsOf(file).filter(isRelative)) {
      const path = resolve(ROOT, dirname(file), decodeURIComponent(target.split('#')[0]));
      const inside = relative(ROOT, path);
      if (inside.startsWith('..') || isAbsolute(inside) || !existsSync(path)) broken.push(target);
    }
    expect(broken).toEqual([]);
  });
});

/**
 * Nest's rspack defaults compile TypeScript down to ES2021, which turns every class field into a
 * helper call. Node 24 runs ES2023 natively, so compile to that: a ProxyAttempt (one per request)
 * is then built with plain field stores.
 *
 * The bundle is also written in ASCII. V8 keeps every script's source in the heap of every thread
 * that runs it, and one non-ASCII character (a `→` in a comment) makes it store the whole file as
 * UTF-16: 1.15 MiB a thread instead of 0.6 (docs/performance.md, "Memory, a third time"). swc
 * escapes strings (`charset: 'ascii'`); what is left (comments) gets the same `\uXXXX` escapes,
 * which mean the same character in a string, a template, a regular expression or an identifier.
 */
class AsciiBundlePlugin {
  apply(compiler) {
    const { Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap('AsciiBundlePlugin', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'AsciiBundlePlugin', stage: Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_INLINE },
        (assets) => {
          for (const name of Object.keys(assets)) {
            if (!name.endsWith('.js')) continue;
            const text = assets[name].source().toString();
            if (!/[^\x00-\x7f]/.test(text)) continue;
            // A ReplaceSource keeps the source map in step.
            const ascii = new sources.ReplaceSource(assets[name]);
            for (const match of text.matchAll(/[^\x00-\x7f]/g)) {
              const escape = `\\u${match[0].charCodeAt(0).toString(16).padStart(4, '0')}`;
              ascii.replace(match.index, match.index + match[0].length - 1, escape);
            }
            compilation.updateAsset(name, ascii);
          }
        },
      );
    });
  }
}

module.exports = (options) => {
  for (const rule of options.module.rules) {
    for (const use of [].concat(rule.use ?? [])) {
      if (use.loader !== 'builtin:swc-loader') continue;
      use.options.jsc.target = 'es2023';
      use.options.jsc.output = { ...use.options.jsc.output, charset: 'ascii' };
    }
  }
  options.plugins = [...(options.plugins ?? []), new AsciiBundlePlugin()];
  return options;
};

/**
 * Nest's rspack defaults compile TypeScript down to ES2021, which turns every class field into a
 * helper call. Node 24 runs ES2023 natively, so compile to that: a ProxyAttempt (one per request)
 * is then built with plain field stores.
 */
module.exports = (options) => {
  for (const rule of options.module.rules) {
    for (const use of [].concat(rule.use ?? [])) {
      if (use.loader === 'builtin:swc-loader') use.options.jsc.target = 'es2023';
    }
  }
  return options;
};

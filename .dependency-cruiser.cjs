/**
 * Import rules between the folders (DESIGN.md): shared → nothing; core → shared, Node, its
 * libraries (never electron); main → core, shared, electron; preload → shared + electron;
 * renderer → shared and browser libraries only. No cycles anywhere.
 */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'shared-is-pure',
      comment: 'shared/ holds types and the contract: no Node, no DOM code, no app folders.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { pathNot: ['^shared/', '^node_modules/zod/'] },
    },
    {
      name: 'core-never-imports-electron',
      severity: 'error',
      from: { path: '^electron/core/' },
      to: { path: ['^node_modules/electron/', '^electron/(main|preload|cli)/', '^renderer/'] },
    },
    {
      name: 'core-no-electron-builtin',
      severity: 'error',
      from: { path: '^electron/core/' },
      to: { dependencyTypes: ['core'], path: '^electron$' },
    },
    {
      name: 'cli-uses-core-and-shared',
      severity: 'error',
      from: { path: '^electron/cli/' },
      to: { path: ['^node_modules/electron/', '^electron/(main|preload)/', '^renderer/'] },
    },
    {
      name: 'main-not-renderer',
      severity: 'error',
      from: { path: '^electron/main/' },
      to: { path: ['^renderer/', '^electron/(preload|cli)/'] },
    },
    {
      name: 'preload-only-shared-and-electron',
      severity: 'error',
      from: { path: '^electron/preload/' },
      to: { pathNot: ['^shared/', '^electron/preload/', '^node_modules/electron/', '^electron$'] },
    },
    {
      name: 'renderer-only-shared',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: ['^electron/', '^node_modules/electron/', '^node_modules/better-sqlite3/', '^node_modules/@grpc/'] },
    },
    {
      name: 'renderer-no-node-builtins',
      severity: 'error',
      from: { path: '^renderer/src/' },
      to: { dependencyTypes: ['core'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
    moduleSystems: ['es6', 'cjs'],
  },
};

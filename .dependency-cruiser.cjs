/**
 * Import rules between the folders (DESIGN.md): shared → nothing; core → shared, Node, its
 * libraries (never electron); main → core, shared, electron; preload → shared + electron;
 * renderer → shared and browser libraries only. Inside the core, store/ knows rows and queries:
 * redaction, the ML index and the ingest pipeline stay out of it. No cycles anywhere.
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
      name: 'store-knows-rows-and-queries',
      comment:
        'store/ writes rows and answers queries. Redaction, the ML index and the rest of the ingest pipeline sit above it ' +
        '(ingest/ingest-writer.ts hands the writer its hooks; ml/refill-old-stores.ts registers its upgrade step), so store/ ' +
        'imports only store/, the OTLP records it stores (otlp/ model, stored JSON, item limits), shared/ and libraries. ' +
        'export-jsonl.ts, which redacts on the way out, is the one exception left until it moves out of store/.',
      severity: 'error',
      from: { path: '^electron/core/store/', pathNot: '^electron/core/store/export-jsonl[.]ts$' },
      to: { path: '^electron/', pathNot: ['^electron/core/store/', '^electron/core/otlp/(model|stored-json|item-limits)[.]ts$'] },
    },
    {
      name: 'cli-uses-core-and-shared',
      severity: 'error',
      from: { path: '^electron/cli/' },
      to: { path: ['^node_modules/electron/', '^electron/(main|preload)/', '^renderer/'] },
    },
    {
      name: 'cli-and-main-through-the-front-door',
      comment: 'The CLI and the desktop app reach the core only through electron/core/front-door.ts (the contract, a running core or a session).',
      severity: 'error',
      from: { path: '^electron/(cli|main)/' },
      to: { path: '^electron/core/', pathNot: '^electron/core/front-door\\.ts$' },
    },
    {
      name: 'services-are-the-top-of-the-core',
      comment: 'Domain code (store, analysis, reports, …) never reaches up into the services, the API or the session that compose it.',
      severity: 'error',
      from: { path: '^electron/core/', pathNot: '^electron/core/(services|api|core-session|sightline-core|front-door)' },
      to: { path: '^electron/core/(services/|api/api-service|core-session|sightline-core|front-door)' },
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
    {
      name: 'jobs-above-analysis-and-reports',
      comment:
        'jobs/ runs analysis and reports in worker threads and imports both; neither imports it, and analysis/ does not import ' +
        'reports/ (reports use analysis). The job host once lived in analysis/, which made analysis → reports → analysis a loop.',
      severity: 'error',
      from: { path: '^electron/core/(analysis|reports)/' },
      to: { path: ['^electron/core/jobs/'] },
    },
    {
      name: 'analysis-not-reports',
      severity: 'error',
      from: { path: '^electron/core/analysis/' },
      to: { path: '^electron/core/reports/' },
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

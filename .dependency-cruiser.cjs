/**
 * Dependency rules from shared/STYLE.md ("Shape of the code"), checked by `npm run lint:deps`.
 * Data flows one way: cli → index (api/) → (audit, history, store, output) → engine → net; probes are data
 * the api injects into the engine. docs/architecture.md explains each layer and what it may import.
 * Type-only imports count too (tsPreCompilationDeps): a type is a dependency of the design.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No module depends on itself through others (STYLE.md: "no cycles").',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'model-imports-nothing',
      severity: 'error',
      comment: 'model/ holds shared types and error classes: it imports no other layer and no node: module.',
      from: { path: '^src/model/' },
      to: { pathNot: '^src/model/' },
    },
    {
      name: 'cli-only-public-api',
      severity: 'error',
      comment: 'cli/ uses the library as a user would: src/index.ts (and model types through it), plus its own files and version.ts.',
      from: { path: '^src/cli/' },
      to: { path: '^src/', pathNot: ['^src/cli/', '^src/index\\.ts$', '^src/version\\.ts$'] },
    },
    {
      name: 'nothing-imports-cli',
      severity: 'error',
      comment: 'cli/ is the top: no library module depends on it.',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'engine-knows-no-formats-or-cli',
      severity: 'error',
      comment: 'The engine yields results; it never prints, never formats, never knows the CLI or the api above it.',
      from: { path: '^src/engine/' },
      to: { path: ['^src/output/', '^src/cli/', '^src/api/', '^src/index\\.ts$', '^src/audit/', '^src/store/', '^src/history/'] },
    },
    {
      name: 'engine-imports-no-probe-table',
      severity: 'error',
      comment: 'Probes are injected by the api; the engine knows only the probe interface (its own engine-plan types).',
      from: { path: '^src/engine/' },
      to: { path: '^src/probes/' },
    },
    {
      name: 'leaf-layers-depend-on-model-only',
      severity: 'error',
      comment: 'targets/, ports/, output/, store/ and local/ depend on model/ only (and on their own files).',
      from: { path: '^src/(targets|ports|output|store|local)/' },
      to: { path: '^src/', pathNot: ['^src/model/', '^src/$1/'] },
    },
    {
      name: 'net-is-the-bottom',
      severity: 'error',
      comment: 'net/ is the only code that opens sockets; it depends on model/ only.',
      from: { path: '^src/net/' },
      to: { path: '^src/', pathNot: ['^src/model/', '^src/net/'] },
    },
    {
      name: 'only-net-opens-sockets',
      severity: 'error',
      comment: 'node:net, node:dgram, node:dns and node:tls are imported in net/ only (STYLE.md).',
      from: { path: '^src/', pathNot: '^src/net/' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(net|dgram|dns|dns/promises|tls)$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules|build)/' },
  },
};

// @ts-check
/**
 * The architecture, enforced (`npm run lint` runs `npm run lint:deps`); see docs/architecture.md.
 * Imports flow down this list and never back up; modules on one line are siblings.
 * A layer may import itself, but nothing may form a cycle.
 */
const LAYERS = [
  // the composition roots: the standalone service, the library's front door and module, the CLI
  [
    'root',
    '^src/(main|app\\.factory|app\\.module|runtime|index|drf|fastapi|startup-summary)\\.ts$|^src/(gatehouse|cli|testing)/',
  ],
  ['surfaces', '^src/surfaces/'],
  [
    'features',
    '^src/(accounts|audit|registration|password|migration|jobs|metrics|health|mail|sessions|mfa|jwt-auth|token-key)/',
  ],
  ['dialects', '^src/dialects/'],
  ['docs', '^src/docs/'],
  ['throttling', '^src/throttling/'],
  ['access', '^src/access/'],
  ['http', '^src/http/'],
  ['observability|problems|events', '^src/(observability|problems|events)/'],
  ['infra', '^src/infra/'],
  ['database', '^src/database/'],
  ['config', '^src/config/'],
];

/** @type {import('dependency-cruiser').IForbiddenRuleType[]} */
const upward = LAYERS.slice(1).map(([name, path], i) => ({
  name: `no-upward-from-${name.replace(/\|/g, '-')}`,
  comment: `${name} sits below ${LAYERS.slice(0, i + 1)
    .map(([n]) => n)
    .join(', ')}: it must not import them`,
  severity: 'error',
  // a unit spec is a test: it may reach above its folder, as test/ does
  from: { path, pathNot: '\\.spec\\.ts$' },
  to: {
    path: LAYERS.slice(0, i + 1)
      .map(([, p]) => `(${p})`)
      .join('|'),
  },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle makes two modules one: untangle it (see docs/architecture.md).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-feature-to-surface',
      comment: 'Features know no HTTP dialect: a surface imports its features, never the reverse.',
      severity: 'error',
      from: { path: LAYERS[2][1] },
      to: { path: '^src/surfaces/' },
    },
    ...upward,
    {
      name: 'src-not-to-test',
      comment: 'The package never imports its own test suite.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};

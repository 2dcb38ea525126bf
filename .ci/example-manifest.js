#!/usr/bin/env node
// Rewrites a copied example's package.json for .ci/examples.sh:
//   node example-manifest.js <example package.json> <gatehouse package.json> <tarball> <variant>
// - "@gatehouse-auth/nestjs" points at the packed tarball (what the registry would serve);
// - variant "own": the example keeps its own versions (the repository's Nest 12 / TypeORM 1.x);
// - variant "oldest": every peer dependency whose range names two majors ("^11.2.0 || ^12.5.1",
//   "^0.3.26 || ^1.1.1") is installed at the oldest version its first major admits (11.2.0,
//   0.3.26), exactly, whether the example named it or not, so the app runs on Nest 11 and
//   TypeORM 0.3 with nothing of Nest 12 left for npm to pick for an unnamed peer.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');

const [examplePath, gatehousePath, tarball, variant] = process.argv.slice(2);
if (!examplePath || !gatehousePath || !tarball || !['own', 'oldest'].includes(variant)) {
  console.error(
    'usage: example-manifest.js <example package.json> <gatehouse package.json> <tarball> own|oldest',
  );
  process.exit(2);
}
const example = JSON.parse(readFileSync(examplePath, 'utf8'));
const gatehouse = JSON.parse(readFileSync(gatehousePath, 'utf8'));
example.dependencies = { ...example.dependencies, [gatehouse.name]: `file:${tarball}` };

if (variant === 'oldest') {
  for (const [name, range] of Object.entries(gatehouse.peerDependencies)) {
    const alternatives = range.split('||').map((part) => part.trim());
    if (alternatives.length < 2) continue;
    const oldest = /^\^(\d+\.\d+\.\d+)$/.exec(alternatives[0]);
    if (!oldest) throw new Error(`${name}: cannot read the oldest version of "${range}"`);
    delete example.devDependencies?.[name];
    example.dependencies[name] = oldest[1];
  }
}
writeFileSync(examplePath, `${JSON.stringify(example, null, 2)}\n`);
for (const [name, version] of Object.entries(example.dependencies))
  console.log(`  ${name} ${version}`);

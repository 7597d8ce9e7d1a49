// Jest 30 cannot `require` the ESM-only NestJS 12 packages on Node 20, so every
// `"type": "module"` package in node_modules is transformed by swc (STACK-NOTES.md).
const fs = require('node:fs');
const path = require('node:path');

function esmPackages(root) {
  const found = [];
  const visit = (dir, scope) => {
    let entries = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: nothing to transform there
    }
    for (const entry of entries) {
      if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
      if (entry.name.startsWith('.')) continue;
      if (!scope && entry.name.startsWith('@')) {
        visit(path.join(dir, entry.name), entry.name);
        continue;
      }
      const name = scope ? `${scope}/${entry.name}` : entry.name;
      try {
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, entry.name, 'package.json'), 'utf8'));
        if (pkg.type === 'module') found.push(name);
      } catch {
        // not a package folder
      }
    }
  };
  visit(root, null);
  return found;
}

const esm = esmPackages(path.join(__dirname, 'node_modules'));
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true, dynamicImport: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs', ignoreDynamic: false },
    sourceMaps: 'inline',
  },
];

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts', '<rootDir>/{apps,libs,test}/**/*.e2e-spec.ts'],
  transform: {
    '^.+\\.(t|j|mj|cj)s$': swc,
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esm.map(escape).join('|')})/)`],
  moduleNameMapper: {
    '^@duban/(config|database|queue|calendar|policy-parser|domain)$': '<rootDir>/libs/$1/src/index.ts',
  },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  setupFiles: ['reflect-metadata'],
  maxWorkers: 2,
  testTimeout: 60000,
  verbose: false,
};

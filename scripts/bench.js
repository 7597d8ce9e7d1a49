#!/usr/bin/env node
// `npm run bench`: runs every compiled benchmark (dist/bench/bench/*.bench.js) one after another,
// so they do not compete for the two cores, and prints their figures. `npm run bench -- parse`
// runs only the benchmarks whose name contains "parse".
'use strict';
const { spawnSync } = require('node:child_process');
const { readdirSync } = require('node:fs');
const path = require('node:path');

const dir = path.resolve(__dirname, '../dist/bench/bench');
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n### ${file.replace(/\.js$/, '')}\n`);
  const res = spawnSync(process.execPath, ['--expose-gc', path.join(dir, file)], { stdio: 'inherit', cwd: path.resolve(__dirname, '..') });
  if (res.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);

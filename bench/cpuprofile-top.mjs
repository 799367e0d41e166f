#!/usr/bin/env node
// Summarizes a V8 .cpuprofile (from `node bench/run.mjs --cpu-prof DIR`) without a browser:
// the top functions by self time and the self time per package/area, which is usually enough to spot the hot path.
//
//   node bench/cpuprofile-top.mjs DIR/CPU.*.cpuprofile [--top 40]

import fs from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/cpuprofile-top.mjs FILE.cpuprofile [--top N]');
  process.exit(2);
}
const topIdx = process.argv.indexOf('--top');
const TOP = topIdx > 0 ? Number(process.argv[topIdx + 1]) : 40;
const prof = JSON.parse(fs.readFileSync(file, 'utf8'));

// self time per node = number of samples that landed on it × the mean sampling interval
const counts = new Map();
for (const id of prof.samples) counts.set(id, (counts.get(id) || 0) + 1);
const totalUs = prof.endTime - prof.startTime;
const usPerSample = totalUs / prof.samples.length;

// where a function lives: a package in node_modules, the gateway bundle, node internals, or V8 pseudo-frames
function area(url, name) {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const nm = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  if (url.includes('/dist/')) return 'gproxy dist';
  return url.replace(/^file:\/\//, '');
}

// a function's key: name + file:line, node_modules/dist paths shortened
const keyOf = (n) => {
  const { functionName, url, lineNumber } = n.callFrame;
  return `${functionName || '(anonymous)'}  ${url ? `${url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}` : ''}`;
};

const byFn = new Map();
const byArea = new Map();
for (const n of prof.nodes) {
  const us = (counts.get(n.id) || 0) * usPerSample;
  if (!us) continue;
  const { functionName, url } = n.callFrame;
  const where = area(url, functionName || '(anonymous)');
  const key = keyOf(n);
  byFn.set(key, (byFn.get(key) || 0) + us);
  byArea.set(where, (byArea.get(where) || 0) + us);
}

// inclusive time: self + everything called below it (a function counted once per call path, recursion ignored)
const nodeById = new Map(prof.nodes.map((n) => [n.id, n]));
const totalOf = new Map();
function walk(n, onPath) {
  let us = (counts.get(n.id) || 0) * usPerSample;
  const key = keyOf(n);
  const fresh = !onPath.has(key);
  if (fresh) onPath.add(key);
  for (const c of n.children || []) us += walk(nodeById.get(c), onPath);
  if (fresh) {
    onPath.delete(key);
    totalOf.set(key, (totalOf.get(key) || 0) + us);
  }
  return us;
}
walk(prof.nodes[0], new Set());

const pct = (us) => ((100 * us) / totalUs).toFixed(1).padStart(5) + '%';
console.log(`profile: ${(totalUs / 1e6).toFixed(2)} s, ${prof.samples.length} samples\n\nself time by area:`);
for (const [k, us] of [...byArea].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${pct(us)}  ${k}`);
console.log(`\ntop ${TOP} functions by self time:`);
for (const [k, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`  ${pct(us)}  ${k}`);
console.log(`\ntop ${TOP} functions by inclusive time (self + callees):`);
for (const [k, us] of [...totalOf]
  .filter(([k]) => !k.startsWith('(root)'))
  .sort((a, b) => b[1] - a[1])
  .slice(0, TOP))
  console.log(`  ${pct(us)}  ${k}`);

#!/usr/bin/env node
// `npm start` builds when dist/ is missing or older than any source file, so a fresh clone runs
// with `npm install && npm start` and an edited checkout never serves stale code.
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const root = path.join(__dirname, '..');
const entry = path.join(root, 'dist', 'src', 'main.js');
function newest(dir) {
  let latest = 0;
  for (const name of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, name.name);
    latest = Math.max(latest, name.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}
const built = fs.existsSync(entry) ? fs.statSync(entry).mtimeMs : 0;
const sources = Math.max(newest(path.join(root, 'src')), fs.statSync(path.join(root, 'package.json')).mtimeMs);
if (built < sources) {
  process.stderr.write('Building (tsc)…\n');
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')],
    { stdio: 'inherit', cwd: root },
  );
  // GraphiQL's page and assets, precompressed once here rather than by the serving process.
  execFileSync(process.execPath, [path.join(root, 'dist', 'scripts', 'build-graphiql.js')], {
    stdio: 'inherit',
    cwd: root,
  });
  fs.utimesSync(entry, new Date(), new Date());
}

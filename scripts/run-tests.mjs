// Runs mocha with a private TMPDIR, then checks that the tests left nothing behind: no temp
// folder and no Janus process started from one. Exit code: mocha's, or 1 on leftovers.
// `run-tests.mjs unit` runs dist/test/unit, `integration` dist/test/integration, no file or
// suite named both; other arguments go to mocha as they are (files, --grep, ...). The spec is never in
// .mocharc.json: mocha adds a config file's spec to the files named, so one file would run all.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SUITES = { unit: ['dist/test/unit/**/*.test.js'], integration: ['dist/test/integration/**/*.test.js'] };
const args = process.argv.slice(2);
const isSpec = (a) => a in SUITES || a.endsWith('.js') || a.includes('/');
const named = [...(args.some(isSpec) ? [] : [...SUITES.unit, ...SUITES.integration]), ...args.flatMap((a) => SUITES[a] ?? [a])];

const base = mkdtempSync(join(tmpdir(), 'janus-scenarios-tests-'));
const mocha = spawnSync(process.execPath, ['node_modules/mocha/bin/mocha.js', ...named], {
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: base },
});

const leftovers = readdirSync(base);
const processes = readdirSync('/proc')
  .filter((p) => /^\d+$/.test(p))
  .map((p) => {
    try {
      return { pid: p, cmdline: readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ') };
    } catch {
      return undefined;
    }
  })
  .filter((p) => p && p.cmdline.includes(base) && !p.cmdline.includes('run-tests'));
let code = mocha.status ?? 1;
if (leftovers.length > 0) {
  console.error(`\nleft behind in TMPDIR: ${leftovers.join(', ')}`);
  code = code || 1;
}
if (processes.length > 0) {
  console.error(`\nprocesses left running: ${processes.map((p) => `${p.pid} ${p.cmdline}`).join('; ')}`);
  for (const p of processes) process.kill(Number(p.pid), 'SIGKILL');
  code = code || 1;
}
if (code === 0) console.log('no temp folder and no Janus process left behind');
rmSync(base, { recursive: true, force: true });
process.exit(code);

// Runs a command beside a CPU hog, as on a shared, noisy CI machine:
//   node scripts/under-load.mjs [--cpu N] -- <command> [args...]
// starts `stress-ng --cpu N` (default 2, Debian package stress-ng) in a process group of its own,
// runs the command, then stops stress-ng by its process group, whatever the outcome (also on
// Ctrl-C). Exit code: the command's. stress-ng's own --timeout ends it should this script be killed.
import { spawn } from 'node:child_process';

const args = process.argv.slice(2);
const dashes = args.indexOf('--');
const options = dashes >= 0 ? args.slice(0, dashes) : [];
const command = dashes >= 0 ? args.slice(dashes + 1) : args;
const cpuAt = options.indexOf('--cpu');
const cpus = cpuAt >= 0 ? Number(options[cpuAt + 1]) : 2;
if (command.length === 0 || !Number.isInteger(cpus) || cpus < 1) {
  console.error('usage: node scripts/under-load.mjs [--cpu N] -- <command> [args...]');
  process.exit(2);
}

const hog = spawn('stress-ng', ['--cpu', String(cpus), '--timeout', '3h', '--quiet'], { stdio: 'ignore', detached: true });
hog.once('error', (err) => {
  console.error(`cannot run stress-ng (${err.message}): install it (apt-get install stress-ng)`);
  process.exit(2);
});
await new Promise((resolve) => hog.once('spawn', resolve));
console.error(`under load: stress-ng --cpu ${cpus} (pid ${hog.pid}) beside: ${command.join(' ')}`);

const stopHog = () => {
  try {
    process.kill(-hog.pid, 'SIGTERM');
  } catch {
    // already gone
  }
};
const started = Date.now();
const child = spawn(command[0], command.slice(1), { stdio: 'inherit' });
// Ctrl-C reaches the command through the terminal's process group; this script waits for it.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
const code = await new Promise((resolve) => {
  child.once('error', (err) => {
    console.error(`cannot run ${command[0]}: ${err.message}`);
    resolve(2);
  });
  child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal === 'SIGINT' ? 130 : 1)));
});
stopHog();
await new Promise((resolve) => (hog.exitCode !== null || hog.signalCode !== null ? resolve() : hog.once('exit', resolve)));
console.error(`under load: ${command.join(' ')} exited ${code} after ${((Date.now() - started) / 1000).toFixed(1)}s; stress-ng stopped`);
process.exit(code);

/**
 * `node dist/bench/one-flow.js <transport> <url>`: one anchor flow by the hand-written client,
 * as a process of its own: the yardstick of the CLI's whole-process time.
 */
import { handWrittenFor } from './hand-written.js';

const [transport = '', url = ''] = process.argv.slice(2);
const client = handWrittenFor(transport);
if (!client) {
  process.stderr.write(`no hand-written client for transport "${transport}"\n`);
  process.exit(2);
}
await (await client.load())(url, 1);

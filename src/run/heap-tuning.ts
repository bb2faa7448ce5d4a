import { setFlagsFromString } from 'node:v8';

/**
 * Turns off V8's allocation-site pretenuring in the process that runs scenarios, when this
 * module loads (scripts/load-bundle.cjs sets the same before it compiles the bundle: V8 takes a
 * code cache only under the flags it was made with).
 *
 * Why: a run makes the same few dozen objects every scenario (its transcript entries, a
 * client's options and lists, the requests), and they die with the scenario. V8 counts, per
 * place in the code that makes objects, how many of them outlive a minor collection, and
 * from about nine in ten on it makes them in the old generation from the start. A few
 * scenarios in flight at a collection are enough to tip a place over, and then each of its
 * dead old objects keeps what it points to alive (the scenario's young objects) until the
 * next full collection: those are copied, promoted, and tip the next places over. Measured
 * on the bench's anchor flow, a scenario each, over WebSocket: every minor collection copied
 * and promoted 1.3 MB (0.65 MB with this off, 0.56 MB for the hand-written client beside it),
 * and in-process, with no socket, 2 MB against 6 KB. Making those objects some other way
 * (from `{}`, `Array.of`) moves the tipping to the next places; the heuristic itself is what
 * misjudges a workload of short lives repeated. Other objects are unaffected: they live in
 * the young generation until they have outlived two minor collections, as V8 does without
 * allocation-site feedback.
 */
setFlagsFromString('--no-allocation-site-pretenuring');

/**
 * The WebRTC peer process: the PeerConnections of one scenario run, in a process of their own,
 * so that native code (libdatachannel) that crashes takes down this process only, never the
 * runner or the namespace agent (process-host.ts forks it). Commands arrive over Node's IPC
 * channel; when the channel closes, the peers close and the process exits.
 */
import { answer, type PeerRequest } from './peer-ipc.js';
import { PeerTable } from './peer-table.js';

const peers = new PeerTable();

process.on('message', (request: PeerRequest) => void answer(peers, request, 'WebRTC peer process'));
process.once('disconnect', () => {
  // Its host is gone (even SIGKILLed): close what closes in time, and go in any case, so that
  // nothing keeps a namespace or a port alive after the run.
  setTimeout(() => process.exit(0), 2000).unref();
  void peers.shutdown().finally(() => process.exit(0));
});
// The host ends this process by closing the channel; a signal meant for the runner's process
// group (Ctrl-C) must not kill the peers before the scenario's cleanup closed them.
process.on('SIGINT', () => {});

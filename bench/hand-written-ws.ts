import WebSocket from 'ws';
import { flowsOverSocket, type FlowClient } from './anchor.js';

/** Over WebSocket: one socket, a transaction map, acks skipped; waits for the close handshake as the runner does. */
export const wsFlows: FlowClient = async (url, flows) => {
  const ws = new WebSocket(url, 'janus-protocol');
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  await flowsOverSocket((text) => ws.send(text), (receive) => ws.on('message', (data) => receive(data.toString())), flows);
  await new Promise((resolve) => {
    ws.once('close', resolve);
    ws.close(1000);
  });
};

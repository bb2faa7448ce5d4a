import Janode from 'janode';
import EchoTestPlugin from 'janode/plugins/echotest';
import VideoRoomPlugin from 'janode/plugins/videoroom';

/**
 * Real client flows to capture: janode (the npm library, over WebSocket) and a hand-written HTTP
 * client with a long-poll, both signalling only.
 */
export async function janodeFlow(url: string): Promise<{ room: number }> {
  Janode.Logger.setLevel('none');
  const connection = await Janode.connect({ address: { url } });
  try {
    await connection.getInfo();
    const session = await connection.create(30);
    const echo = await session.attach(EchoTestPlugin);
    await echo.message({ audio: true, video: false });
    const videoroom = await session.attach(VideoRoomPlugin);
    const { room } = await videoroom.create({ description: 'captured room', pin: 'p1n-from-capture', secret: 'r00m-secret-from-capture' });
    await videoroom.joinPublisher({ room, display: 'janode', pin: 'p1n-from-capture' });
    await videoroom.listParticipants({ room });
    // What janode's keepalive timer does every ka_interval seconds, sent now rather than waited for.
    await (session as unknown as { _sendKeepAlive(ms: number): Promise<void> })._sendKeepAlive(5000);
    await videoroom.leave();
    await videoroom.destroy({ room, secret: 'r00m-secret-from-capture' });
    await echo.detach();
    await videoroom.detach();
    await session.destroy();
    return { room };
  } finally {
    await connection.close().catch(() => undefined);
  }
}

type Json = Record<string, unknown>;

/** A client the way a browser app talks HTTP: POSTs, and a long-poll GET loop for the events. */
export async function httpFlow(base: string): Promise<void> {
  let n = 0;
  const post = async (path: string, body: Json): Promise<Json> => {
    const res = await fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify({ ...body, transaction: `t${++n}` }) });
    return (await res.json()) as Json;
  };
  await post('', { janus: 'info' });
  const created = await post('', { janus: 'create' });
  const sid = (created.data as { id: number }).id;
  const events: Json[] = [];
  const stop = new AbortController();
  const poll = (async () => {
    while (!stop.signal.aborted) {
      const res = await fetch(`${base}/${sid}?maxev=5&rid=${Date.now()}`, { signal: stop.signal }).catch(() => undefined);
      if (!res || res.status !== 200) break;
      const body = (await res.json().catch(() => [])) as Json | Json[];
      for (const e of Array.isArray(body) ? body : [body]) if (e.janus !== 'keepalive') events.push(e);
    }
  })();
  const event = async (test: (e: Json) => boolean): Promise<Json> => {
    for (;;) {
      const found = events.find(test);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  try {
    const echo = ((await post(`/${sid}`, { janus: 'attach', plugin: 'janus.plugin.echotest' })).data as { id: number }).id;
    const vr = ((await post(`/${sid}`, { janus: 'attach', plugin: 'janus.plugin.videoroom' })).data as { id: number }).id;
    await post(`/${sid}/${echo}`, { janus: 'message', body: { audio: true } });
    await event((e) => e.sender === echo && e.janus === 'event');
    const created = await post(`/${sid}/${vr}`, { janus: 'message', body: { request: 'create', description: 'http room', pin: 'http-p1n', secret: 'http-s3cret' } });
    const room = ((created.plugindata as Json).data as { room: number }).room;
    const join = await post(`/${sid}/${vr}`, { janus: 'message', body: { request: 'join', ptype: 'publisher', room, display: 'http client', pin: 'http-p1n' } });
    await event((e) => e.transaction === join.transaction && e.janus === 'event');
    await post(`/${sid}`, { janus: 'keepalive' });
    await post(`/${sid}/${vr}`, { janus: 'message', body: { request: 'destroy', room, secret: 'http-s3cret' } });
    await post(`/${sid}/${echo}`, { janus: 'detach' });
    await event((e) => e.janus === 'detached' && e.sender === echo);
    await post(`/${sid}`, { janus: 'destroy' });
  } finally {
    stop.abort();
    await poll;
  }
}

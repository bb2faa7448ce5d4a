import { request } from 'undici';

/** Lists the sessions a Janus holds, through its Admin API over HTTP. */
export async function listSessions(adminUrl: string, adminSecret: string): Promise<number[]> {
  const res = await request(adminUrl, {
    method: 'POST',
    body: JSON.stringify({ janus: 'list_sessions', transaction: `ls-${Date.now()}`, admin_secret: adminSecret }),
  });
  const reply = (await res.body.json()) as { janus: string; sessions?: number[] };
  if (reply.janus !== 'success') throw new Error(`list_sessions failed: ${JSON.stringify(reply)}`);
  return reply.sessions ?? [];
}

/** Polls until `check` holds or the limit passes; returns whether it held. */
export async function eventually(check: () => Promise<boolean> | boolean, limitMs = 10_000, everyMs = 50): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return check();
}

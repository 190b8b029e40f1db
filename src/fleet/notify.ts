/**
 * Wake-ups over PostgreSQL LISTEN/NOTIFY, so neither side waits out a polling interval: the coordinator
 * notifies `portscope_shards` after enqueueing (workers ask pg-boss to fetch at once instead of within
 * its 0.5 s minimum interval), a worker notifies `portscope_scan` with the scan id when a shard is done
 * (the coordinator finishes at once instead of on its next tick). Only a speed-up: both sides still poll,
 * so a lost notification (a PostgreSQL restart drops every LISTEN) costs at most one interval; the
 * listener reconnects in the background.
 */
import pg from 'pg';

export const SHARDS_CHANNEL = 'portscope_shards';
export const SCAN_CHANNEL = 'portscope_scan';

export interface Listener {
  close(): Promise<void>;
}

export function listen(url: string, channel: string, onNotify: (payload: string) => void): Listener {
  let closed = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | undefined;
  const connect = (): void => {
    if (closed) return;
    const c = new pg.Client({ connectionString: url, application_name: 'portscope-listen' });
    client = c;
    const again = (): void => {
      c.removeAllListeners('notification');
      c.end().catch(() => {});
      if (client === c) client = null;
      if (!closed) retry = setTimeout(connect, 1000).unref();
    };
    c.on('error', again);
    c.on('notification', (m) => {
      if (m.channel === channel) onNotify(m.payload ?? '');
    });
    c.connect()
      .then(() => c.query(`listen ${channel}`))
      .catch(again);
  };
  connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}

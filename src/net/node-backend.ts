import { Socket } from 'node:net';
import { constants } from 'node:os';
import { OUTCOME_SELF, OUTCOME_TIMEOUT, type BackendFactory } from './backend.js';

const errnoByName = constants.errno as Record<string, number>;

/**
 * Portable backend on net.Socket: the fallback where the native addon is not built (macOS, Windows, a
 * failed compile). Same outcomes, several times slower per probe.
 */
export const nodeBackend: BackendFactory = (onOutcomes) => {
  const live = new Set<Socket>();
  let closed = false;
  let ids: number[] = [];
  let codes: number[] = [];
  let rtts: number[] = [];
  let flushQueued = false;

  const flush = (): void => {
    flushQueued = false;
    if (closed || ids.length === 0) return;
    const out = [Uint32Array.from(ids), Int32Array.from(codes), Uint32Array.from(rtts)] as const;
    ids = [];
    codes = [];
    rtts = [];
    onOutcomes(out[0], out[1], out[2]);
  };

  const report = (id: number, code: number, started: bigint): void => {
    ids.push(id);
    codes.push(code);
    rtts.push(Number((process.hrtime.bigint() - started) / 1000n));
    if (!flushQueued) {
      flushQueued = true;
      setImmediate(flush);
    }
  };

  const probe = (address: string, id: number, port: number, timeoutMs: number): void => {
    const started = process.hrtime.bigint();
    const socket = new Socket();
    live.add(socket);
    let done = false;
    const finish = (code: number): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      live.delete(socket);
      socket.resetAndDestroy();
      if (!closed) report(id, code, started);
    };
    const timer = setTimeout(() => finish(OUTCOME_TIMEOUT), timeoutMs);
    socket.once('connect', () => {
      // Self-connect: see native/connect_scanner.c is_self_connect.
      const self = socket.localPort === port && socket.localAddress === socket.remoteAddress;
      finish(self ? OUTCOME_SELF : 0);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      finish((err.code && errnoByName[err.code]) || errnoByName.EIO || 5);
    });
    socket.connect({ host: address, port });
  };

  return {
    name: 'node',
    submit(address, idArr, ports, timeoutMs) {
      if (closed) return;
      for (let i = 0; i < idArr.length; i++) probe(address, idArr[i]!, ports[i]!, timeoutMs);
    },
    close() {
      closed = true;
      for (const s of live) s.destroy();
      live.clear();
    },
  };
};

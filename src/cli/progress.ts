import type { ScanProgress } from '../model/index.js';

/** One self-overwriting status line on a terminal's stderr. */
export class ProgressLine {
  private shown = false;
  constructor(private readonly stream: NodeJS.WritableStream) {}

  update(p: ScanProgress): void {
    const pct = p.portsKnown > 0 ? Math.floor((100 * p.portsDone) / p.portsKnown) : 0;
    const secs = (p.elapsedMs / 1000).toFixed(1);
    const rate = p.elapsedMs > 0 ? Math.round((p.portsDone * 1000) / p.elapsedMs) : 0;
    let eta = '';
    if (p.hostsTotal !== undefined && p.hostsTotal > 0 && p.hostsDone > 0) {
      // The whole scan's size is known: the ETA follows finished hosts over all hosts.
      const left = (p.elapsedMs * (p.hostsTotal - p.hostsDone)) / p.hostsDone / 1000;
      if (p.hostsTotal > p.hostsDone) eta = `, ~${Math.ceil(left)}s left`;
    } else if (p.portsDone > 0 && p.portsKnown > p.portsDone && rate > 0) eta = `, ~${Math.ceil((p.portsKnown - p.portsDone) / rate)}s left`;
    const hosts = p.hostsTotal !== undefined ? `${p.hostsDone}/${p.hostsTotal} hosts done` : `${p.hostsDone} hosts done`;
    const text = `scanning: ${p.portsDone}/${p.portsKnown} ports (${pct}%) · ${hosts}, ${p.hostsActive} active · ${rate}/s · ${secs}s${eta}`;
    this.stream.write(`\r\x1b[2K${text}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}

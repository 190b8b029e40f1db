import type { ScanProgress } from '../entry/core.js';

/** One self-overwriting status line on a terminal's stderr. */
export class ProgressLine {
  private shown = false;
  constructor(private readonly stream: NodeJS.WritableStream) {}

  update(p: ScanProgress): void {
    const pct = p.portsKnown > 0 ? Math.floor((100 * p.portsDone) / p.portsKnown) : 0;
    const secs = (p.elapsedMs / 1000).toFixed(1);
    const rate = p.elapsedMs > 0 ? Math.round((p.portsDone * 1000) / p.elapsedMs) : 0;
    let eta = '';
    if (p.portsDone > 0 && p.portsKnown > p.portsDone && rate > 0) eta = `, ~${Math.ceil((p.portsKnown - p.portsDone) / rate)}s left`;
    const text = `scanning: ${p.portsDone}/${p.portsKnown} ports (${pct}%) · ${p.hostsDone} hosts done, ${p.hostsActive} active · ${rate}/s · ${secs}s${eta}`;
    this.stream.write(`\r\x1b[2K${text}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}

/**
 * Webhook bodies for `watch`: `generic` (the JSON diff with the schedule and scan ids) and `slack` (an
 * incoming-webhook message: a `text` field with mrkdwn, api.slack.com/messaging/webhooks).
 */
import { diffJsonDocument } from './diff-json.js';
import type { ScanDiff } from '../model/index.js';
import { formatDiffText } from './diff-text.js';

export type WebhookFormat = 'generic' | 'slack';

export interface WebhookContext {
  scheduleId: number;
  targets: string[];
  everyMs: number;
  scanId: number;
  previousScanId: number;
}

export function webhookBody(format: WebhookFormat, d: ScanDiff, ctx: WebhookContext): string {
  if (format === 'slack') {
    const c = d.counts;
    const head = `*portscope watch* ${ctx.targets.join(' ')}: ${c.portsNew} new, ${c.portsGone} gone, ${c.portsChanged} changed ports (scan #${ctx.scanId} vs #${ctx.previousScanId})`;
    // Slack caps a message's text at 40,000 characters; keep well under it.
    const body = formatDiffText(d).slice(0, 3000);
    return JSON.stringify({ text: `${head}\n\`\`\`\n${body}\`\`\`` });
  }
  return JSON.stringify({
    event: 'portscope.watch.change',
    schedule: { id: ctx.scheduleId, targets: ctx.targets, everySeconds: ctx.everyMs / 1000 },
    scanId: ctx.scanId,
    previousScanId: ctx.previousScanId,
    diff: diffJsonDocument(d),
  });
}

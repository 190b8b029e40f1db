/**
 * Webhook delivery for `watch`: URL checked at start, secrets redacted wherever the URL is shown or stored,
 * POST with bounded redirects, retries with exponential backoff, a per-attempt timeout, and an attempt
 * count that says what really happened (also when the user interrupts).
 */
import { OptionError } from '../model/index.js';

export interface WebhookDelivery {
  url: string;
  /** Retries after the first attempt (default 4), on network errors, 5xx and 429. */
  retries?: number;
  /** First backoff; doubles each retry (default 1000 ms). */
  backoffMs?: number;
  /** Per attempt, redirects included (default 10 s). */
  timeoutMs?: number;
}

export interface DeliveryResult {
  delivered: boolean;
  /** POSTs made to the first URL (redirect hops are part of their attempt). */
  attempts: number;
  error?: string;
}

/** Redirect hops followed per attempt; more is an error (a loop), final for the delivery. */
export const MAX_REDIRECTS = 5;

const SECRET_PARAM = /^(.*[-_])?(token|key|apikey|secret|password|passwd|pass|pwd|sig|signature|auth|authorization|access[-_]?token|code|credential|credentials)$/i;

/** An http(s) URL or OptionError naming what is wrong; the URL is shown redacted. */
export function checkWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OptionError(`invalid --webhook "${redactUrl(raw)}": not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OptionError(`invalid --webhook "${redactUrl(raw)}": use an http:// or https:// URL`);
  if (!url.hostname) throw new OptionError(`invalid --webhook "${redactUrl(raw)}": no host`);
  return url;
}

/** `user:pass@` → `***@`, values of token-like query parameters → `***`; text that is not a URL is cut at the authority. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not parseable: hide anything that looks like credentials or a query.
    return raw.replace(/\/\/[^/@\s]*@/, '//***@').replace(/\?.*$/, '?***');
  }
  if (url.username || url.password) {
    url.username = '***';
    url.password = '';
  }
  for (const name of [...new Set(url.searchParams.keys())]) if (SECRET_PARAM.test(name)) url.searchParams.set(name, '***');
  return url.href.replace(/%2A%2A%2A/g, '***');
}

/** Every occurrence of `url` in `text` (a command line, an error message) replaced by its redacted form. */
export function redactIn(text: string, url: string): string {
  return url && text.includes(url) ? text.split(url).join(redactUrl(url)) : text;
}

/** POST with exponential backoff: network errors, timeouts, 5xx and 429 are retried; other 4xx and redirect loops are final. */
export async function postWithRetry(hook: WebhookDelivery, body: string, signal?: AbortSignal): Promise<DeliveryResult> {
  const retries = hook.retries ?? 4;
  const base = hook.backoffMs ?? 1000;
  let error = '';
  let attempts = 0;
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    if (signal?.aborted) return { delivered: false, attempts, error: error || 'interrupted' };
    attempts = attempt;
    const outcome = await postOnce(hook, body, signal);
    if (outcome.ok) return { delivered: true, attempts };
    error = redactIn(outcome.error, hook.url);
    if (signal?.aborted) return { delivered: false, attempts, error: 'interrupted' };
    if (outcome.final) return { delivered: false, attempts, error };
    if (attempt <= retries) await pause(base * 2 ** (attempt - 1), signal);
  }
  return { delivered: false, attempts, error };
}

async function postOnce(hook: WebhookDelivery, body: string, signal?: AbortSignal): Promise<{ ok: true } | { ok: false; final: boolean; error: string }> {
  const timeout = AbortSignal.timeout(hook.timeoutMs ?? 10_000);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  // fetch refuses URLs with credentials: `user:pass@` becomes HTTP Basic authentication (RFC 7617).
  const first = new URL(hook.url);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (first.username || first.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(first.username)}:${decodeURIComponent(first.password)}`).toString('base64')}`;
    first.username = '';
    first.password = '';
  }
  let url = first.href;
  try {
    for (let hop = 0; ; hop++) {
      const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: combined });
      await res.arrayBuffer().catch(() => undefined);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        if (hop >= MAX_REDIRECTS) return { ok: false, final: true, error: `more than ${MAX_REDIRECTS} redirects (a redirect loop?)` };
        url = new URL(location, url).href;
        continue;
      }
      if (res.ok) return { ok: true };
      return { ok: false, final: res.status < 500 && res.status !== 429, error: `HTTP ${res.status}` };
    }
  } catch (err) {
    if (timeout.aborted && !signal?.aborted) return { ok: false, final: false, error: `no answer within ${(hook.timeoutMs ?? 10_000) / 1000} s` };
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, final: false, error: cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err)) };
  }
}

/** setTimeout that an abort ends early. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

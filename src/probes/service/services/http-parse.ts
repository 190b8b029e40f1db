/** Parse an HTTP/1.x response (RFC 9112 §4 status line, §5 fields) far enough for fingerprinting. */
export interface HttpResponse {
  version: string;
  status: number;
  headers: Map<string, string>;
  body: string;
}

export function parseHttpResponse(data: Buffer): HttpResponse | null {
  const text = data.toString('latin1');
  const m = /^HTTP\/(\d(?:\.\d)?) (\d{3})[^\r\n]*\r?\n/.exec(text);
  if (!m) return null;
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  const body = end < 0 ? '' : text.slice(end).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.split(/\r?\n/).slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return { version: m[1]!, status: Number(m[2]), headers, body };
}

export function htmlTitle(body: string): string | undefined {
  const m = /<title[^>]*>([^<]{0,300})/i.exec(body);
  const t = m?.[1]?.replace(/\s+/g, ' ').trim();
  return t ? t : undefined;
}

/** JSON.parse that returns undefined instead of throwing (bodies may be cut by the byte cap). */
export function tryJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

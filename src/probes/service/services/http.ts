/**
 * HTTP (RFC 9110/9112): one GET / and the answer's status, Server header, title, and JSON bodies of
 * well-known HTTP APIs (Elasticsearch's banner document, Docker's Api-Version header, Kubernetes' Status
 * object, CouchDB's welcome). Server header grammar: product/version (comment), RFC 9110 §10.2.4.
 */
import { build } from '../match-helpers.js';
import type { HttpFacts, ServiceMatch, ServiceModule } from '../types.js';
import { htmlTitle, parseHttpResponse, tryJson, type HttpResponse } from './http-parse.js';

const HTTP_PORTS = [80, 81, 443, 591, 2375, 2376, 3000, 5000, 5601, 5984, 6443, 8000, 8001, 8008, 8080, 8081, 8443, 8888, 9000, 9200, 10250, 15672];

/** Known Server header products: pattern → product name and CPE. */
const SERVERS: { re: RegExp; product: string; cpe?: string }[] = [
  { re: /^nginx(?:\/([\d.]+))?/i, product: 'nginx', cpe: 'cpe:/a:f5:nginx:$v' },
  { re: /^Apache(?:\/([\d.]+))?/, product: 'Apache httpd', cpe: 'cpe:/a:apache:http_server:$v' },
  { re: /^lighttpd(?:\/([\d.]+))?/, product: 'lighttpd', cpe: 'cpe:/a:lighttpd:lighttpd:$v' },
  { re: /^Microsoft-IIS(?:\/([\d.]+))?/, product: 'Microsoft IIS httpd', cpe: 'cpe:/a:microsoft:internet_information_services:$v' },
  { re: /^Caddy/, product: 'Caddy httpd' },
  { re: /^Jetty\(([\w.-]+)\)/, product: 'Jetty', cpe: 'cpe:/a:eclipse:jetty:$v' },
  { re: /^gunicorn(?:\/([\d.]+))?/, product: 'Gunicorn' },
  { re: /^Werkzeug(?:\/([\d.]+))?/, product: 'Werkzeug httpd' },
  { re: /^Docker\/([\w.+-]+)/, product: 'Docker' },
];

export function matchHttp(data: Buffer): ServiceMatch | null {
  const res = parseHttpResponse(data);
  if (!res) return null;
  const server = res.headers.get('server');
  const http: HttpFacts = { status: res.status };
  const title = htmlTitle(res.body);
  if (title) http.title = title;
  if (server) http.server = server;
  const out = apiFingerprint(res) ?? serverProduct(server);
  out.http = http;
  return out;
}

function serverProduct(server: string | undefined): ServiceMatch {
  if (!server) return build('http');
  for (const s of SERVERS) {
    const m = s.re.exec(server);
    if (!m) continue;
    const comment = /\(([^)]*)\)\s*$/.exec(server)?.[1];
    const extra = s.product === 'Jetty' ? undefined : comment;
    return build('http', s.product, m[1], extra, s.cpe ? [s.cpe] : undefined);
  }
  // Unknown product: keep its own words, "name/version".
  const g = /^([\w.-]+)(?:\/([\w.-]+))?/.exec(server);
  return build('http', g?.[1] ?? server.slice(0, 60), g?.[2]);
}

function apiFingerprint(res: HttpResponse): ServiceMatch | null {
  const apiVersion = res.headers.get('api-version');
  const server = res.headers.get('server') ?? '';
  if (apiVersion !== undefined && /^Docker\//.test(server)) {
    return build('docker', 'Docker', /^Docker\/([\w.+-]+)/.exec(server)?.[1], `API ${apiVersion}`, ['cpe:/a:docker:docker:$v']);
  }
  const json = tryJson(res.body);
  if (typeof json !== 'object' || json === null) return null;
  const o = json as Record<string, unknown>;
  const version = o.version as Record<string, unknown> | string | undefined;
  if (o.tagline === 'You Know, for Search' && typeof version === 'object' && version !== null) {
    const dist = version.distribution === 'opensearch' ? 'OpenSearch' : 'Elasticsearch';
    const cpe = dist === 'Elasticsearch' ? ['cpe:/a:elastic:elasticsearch:$v'] : undefined;
    return build('http', `${dist} REST API`, String(version.number ?? ''), typeof o.cluster_name === 'string' ? `cluster ${o.cluster_name}` : undefined, cpe);
  }
  if (o.kind === 'Status' && o.apiVersion === 'v1') return build('http', 'Kubernetes API server', undefined, typeof o.reason === 'string' ? o.reason : undefined);
  if (Array.isArray(o.paths) && o.paths.includes('/api') && o.paths.includes('/version')) return build('http', 'Kubernetes API server');
  if (o.couchdb === 'Welcome') return build('http', 'CouchDB', typeof version === 'string' ? version : undefined, undefined, ['cpe:/a:apache:couchdb:$v']);
  return null;
}

export const http: ServiceModule = {
  name: 'http',
  probes: [
    {
      name: 'HTTPGet',
      rarity: 1,
      ports: HTTP_PORTS,
      payload: (ctx) => Buffer.from(`GET / HTTP/1.1\r\nHost: ${ctx.address.includes(':') ? `[${ctx.address}]` : ctx.address}\r\nUser-Agent: portscope\r\nAccept: */*\r\nConnection: close\r\n\r\n`),
    },
  ],
  matchers: [{ probes: ['HTTPGet', 'GenericLines', 'NULL'], match: matchHttp }],
};

// One webhook POST over node:http(s), to the checked address only: the connection goes to that IP while the
// Host header and TLS name (SNI and certificate check) keep the URL's host. Redirects are never followed.
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Target } from './target-guard.js';

/** The answer to one attempt: `error` is null exactly when the receiver answered 2xx. */
export interface PostOutcome {
  status: number | null;
  error: string | null;
}

function outcomeOf(status: number, location: string | undefined): PostOutcome {
  if (status >= 200 && status < 300) return { status, error: null };
  if (status >= 300 && status < 400) {
    return { status, error: `redirect not followed (HTTP ${status}${location ? ` to ${location}` : ''})` };
  }
  return { status, error: `HTTP ${status}` };
}

/** POSTs `body` to `target`; never rejects. No answer within `timeoutMs` is a failed attempt. */
export function postToTarget(
  target: Target,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<PostOutcome> {
  const secure = target.url.protocol === 'https:';
  const host = target.url.hostname.replace(/^\[(.*)\]$/, '$1');
  const options: https.RequestOptions = {
    method: 'POST',
    host: target.address,
    family: target.family,
    port: target.url.port || (secure ? 443 : 80),
    path: `${target.url.pathname}${target.url.search}`,
    headers: { ...headers, host: target.url.host, 'content-length': String(Buffer.byteLength(body)) },
    agent: false,
    // SNI cannot carry an IP address; a URL naming an IP is checked against the certificate's IP entries.
    ...(secure && isIP(host) === 0 ? { servername: host } : {}),
  };
  return new Promise((resolve) => {
    const request = (secure ? https : http).request(options);
    const timer = setTimeout(
      () => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    request.on('close', () => clearTimeout(timer));
    request.on('response', (response) => {
      response.on('error', () => undefined);
      response.resume();
      resolve(outcomeOf(response.statusCode ?? 0, response.headers.location));
    });
    request.on('error', (error) => resolve({ status: null, error: error.message }));
    request.end(body);
  });
}

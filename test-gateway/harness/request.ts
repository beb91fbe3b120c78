/**
 * One HTTP request on its own connection. No keep-alive pool: the gateway closes idle sockets
 * after 5 s, and a pooled socket reused just then fails with "other side closed".
 */
import http from 'http';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export function request(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body?: string
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

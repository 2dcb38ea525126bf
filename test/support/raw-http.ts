import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  body: any;
}

export interface RawRequest {
  method?: string;
  path: string;
  /** Sent as given, `Host` included (fetch() chooses its own). */
  headers?: Record<string, string>;
  json?: unknown;
  /** The loopback address the client connects from (127.0.0.2…: a distinct client). */
  localAddress?: string;
}

/** One HTTP/1.1 request over node:http, headers as written, to 127.0.0.1:port. */
export function rawRequest(port: number, options: RawRequest): Promise<RawResponse> {
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers,
        localAddress: options.localAddress,
        setHost: !Object.keys(headers).some((name) => name.toLowerCase() === 'host'),
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            text,
            body: parsed,
          });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/**
 * A reverse proxy on loopback that does what most load balancers do: it appends
 * the address its client connected from to `X-Forwarded-For` (keeping whatever
 * the client wrote there) and passes the request on.
 */
export async function startAppendingProxy(
  targetPort: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((incoming, outgoing) => {
    const peer = incoming.socket.remoteAddress ?? '';
    const written = incoming.headers['x-forwarded-for'];
    const upstream = request(
      {
        host: '127.0.0.1',
        port: targetPort,
        // The proxy's own address, as the app sees it: 127.0.0.1.
        localAddress: '127.0.0.1',
        method: incoming.method,
        path: incoming.url,
        headers: {
          ...incoming.headers,
          'x-forwarded-for': written ? `${String(written)}, ${peer}` : peer,
        },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

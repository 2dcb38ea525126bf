import { createServer, type Server, type Socket, connect } from 'node:net';

/**
 * A TCP proxy on loopback in front of a real server (PostgreSQL): `stop()`
 * closes the listener and cuts every open connection, so the app sees its
 * database refuse connections; `start()` brings it back on the same port.
 * `stall()` keeps every connection open but carries no byte either way (a
 * database that does not answer) until `unstall()`; `stall({ forever: true })`
 * loses the connections it holds for good (a route that came back with its old
 * connections' state gone): `unstall()` then carries new connections only, and the
 * held ones stay open and silent on both ends. The real server is never touched.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly pairs = new Set<[Socket, Socket]>();
  private stalled = false;
  private forever = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      client.on('close', () => this.pairs.delete(pair));
      if (this.stalled) client.pause();
      else client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    this.server = server;
  }

  /** Holds every byte, in both directions, on open and new connections. */
  stall({ forever = false } = {}): void {
    this.stalled = true;
    this.forever = forever;
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** Carries the held bytes on, and everything after them (unless held forever). */
  unstall(): void {
    this.stalled = false;
    if (this.forever) this.pairs.clear();
    for (const [client, upstream] of this.pairs) client.pipe(upstream).pipe(client);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.pairs.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

// A tiny TCP proxy for fault tests: it can cut every connection (server goes away), refuse new ones,
// come back on the same port, or silently stop forwarding on the connections it has (a hung network).
import net from 'node:net';

export class TcpProxy {
  readonly #targetHost: string;
  readonly #targetPort: number;
  readonly #sockets = new Set<net.Socket>();
  #server: net.Server | undefined;
  #port = 0;
  readonly #hung = new WeakSet<net.Socket>();

  constructor(targetHost: string, targetPort: number) {
    this.#targetHost = targetHost;
    this.#targetPort = targetPort;
  }

  get port(): number {
    return this.#port;
  }

  /** Starts listening (on a free port the first time, on the same port afterwards). */
  async start(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.#targetPort, this.#targetHost);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => {});
      }
      client.on('data', (d) => {
        if (!this.#hung.has(client)) upstream.write(d);
      });
      upstream.on('data', (d) => {
        if (!this.#hung.has(client)) client.write(d);
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as net.AddressInfo).port;
    this.#server = server;
  }

  /** Stops listening and cuts every open connection. */
  async stop(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Existing connections stop forwarding bytes without closing (new connections work). */
  hangExisting(): void {
    for (const s of this.#sockets) this.#hung.add(s);
  }
}

// A tiny TCP proxy in front of a real server, for fault tests: the server can go away (`stop`) and come
// back on the same port (`start`), stall and then answer (`pause`, `resume`), or leave the connections
// it has half-open (`freezeOpenConnections`). Nothing is mocked: every byte that passes is the server's.
import net from 'node:net';

/** Ports of the URL schemes tests proxy, for a URL that names none. */
const DEFAULT_PORTS: Record<string, number> = {
  'postgres:': 5432,
  'postgresql:': 5432,
  'mysql:': 3306,
  'mariadb:': 3306,
  'redis:': 6379,
  'rediss:': 6379,
};

/**
 * @example
 * await using proxy = TcpProxy.forUrl(await pgUrl());
 * await proxy.start();
 * const pool = createPool(proxy.url(await pgUrl()));
 * await proxy.stop(); // the server goes away
 */
export class TcpProxy {
  readonly #target: { readonly host: string; readonly port: number };
  readonly #sockets = new Set<net.Socket>();
  /** Sockets whose bytes are dropped for good: a half-open connection (the peer vanished without a FIN). */
  readonly #frozen = new WeakSet<net.Socket>();
  #server: net.Server | undefined;
  #port = 0;
  #paused = false;
  #held: { to: net.Socket; chunk: Buffer }[] = [];

  constructor(target: { host: string; port: number }) {
    this.#target = { host: target.host, port: target.port };
  }

  /** A proxy in front of the server a connection URL names (its scheme's port when it names none). */
  static forUrl(url: string): TcpProxy {
    const u = new URL(url);
    const port = Number(u.port) || DEFAULT_PORTS[u.protocol];
    if (!port) throw new Error(`no port in ${u.protocol}// URL and no default for that scheme`);
    return new TcpProxy({ host: u.hostname, port });
  }

  /** The port the proxy listens on (0 before the first `start`). */
  get port(): number {
    return this.#port;
  }

  /** `url` with its host and port replaced by the proxy's. */
  url(url: string): string {
    const u = new URL(url);
    u.host = `127.0.0.1:${this.#port}`;
    return u.toString();
  }

  /** Starts listening (on a free port the first time, on the same port afterwards) and forwarding. */
  async start(): Promise<void> {
    this.#paused = false;
    const server = net.createServer((client) => {
      const upstream = net.connect(this.#target);
      this.#sockets.add(client).add(upstream);
      const forward =
        (to: net.Socket) =>
        (chunk: Buffer): void => {
          if (this.#frozen.has(to)) return;
          if (this.#paused) this.#held.push({ to, chunk });
          else to.write(chunk);
        };
      client.on('data', forward(upstream));
      upstream.on('data', forward(client));
      const end = (): void => {
        client.destroy();
        upstream.destroy();
        this.#sockets.delete(client);
        this.#sockets.delete(upstream);
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as net.AddressInfo).port;
    this.#server = server;
  }

  /** The server goes away: stops listening (new connections are refused) and cuts every open one. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    this.#held = [];
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The server stalls: every connection, new ones too, stays open but every byte is held. */
  pause(): void {
    this.#paused = true;
  }

  /** The stalled server answers: what was held is delivered, in order, as TCP would. */
  resume(): void {
    this.#paused = false;
    for (const { to, chunk } of this.#held.splice(0)) if (!to.destroyed) to.write(chunk);
  }

  /** Every connection open now goes silent forever without closing (half-open); new connections work. */
  freezeOpenConnections(): void {
    for (const socket of this.#sockets) this.#frozen.add(socket);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

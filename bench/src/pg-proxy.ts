// A TCP proxy between a server under test and PostgreSQL that counts the client's protocol round trips:
// every extended-protocol Sync ('S') and every simple Query ('Q') is one point where the client waits for
// the server's ReadyForQuery. It reads the frontend's message framing only; bytes pass through unchanged.
import { createConnection, createServer, type Server, type Socket } from "node:net";

export interface ProxyCounts {
  /** Sync + Query messages: client round trips. */
  roundTrips: number;
  syncs: number;
  queries: number;
  /** Connections opened to PostgreSQL through the proxy. */
  connections: number;
}

export interface PgProxy {
  port: number;
  counts(): ProxyCounts;
  reset(): void;
  close(): Promise<void>;
}

const sslRequestCode = 80877103;
const gssEncRequestCode = 80877104;
const cancelRequestCode = 80877102;

/** Follows the frontend message stream: an untyped startup packet first, then type byte + int32 length. */
class FrontendCounter {
  private startup = true;
  private header = Buffer.alloc(0);
  private skip = 0;

  constructor(private readonly onMessage: (type: number) => void) {}

  feed(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - offset);
        this.skip -= n;
        offset += n;
        continue;
      }
      const headerLength = this.startup ? 8 : 5;
      const need = headerLength - this.header.length;
      const take = Math.min(need, chunk.length - offset);
      this.header = Buffer.concat([this.header, chunk.subarray(offset, offset + take)]);
      offset += take;
      if (this.header.length < headerLength) return;
      if (this.startup) {
        const length = this.header.readInt32BE(0);
        const code = this.header.readInt32BE(4);
        // After an SSL/GSS request the server answers one byte and the client sends another startup packet.
        if (code !== sslRequestCode && code !== gssEncRequestCode && code !== cancelRequestCode) this.startup = false;
        this.skip = length - 8;
      } else {
        this.onMessage(this.header[0]!);
        this.skip = this.header.readInt32BE(1) - 4;
      }
      this.header = Buffer.alloc(0);
    }
  }
}

export async function startPgProxy(upstream: { host: string; port: number }): Promise<PgProxy> {
  const counts: ProxyCounts = { roundTrips: 0, syncs: 0, queries: 0, connections: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    counts.connections++;
    const backend = createConnection(upstream);
    sockets.add(client);
    sockets.add(backend);
    const counter = new FrontendCounter((type) => {
      if (type === 0x53) {
        counts.syncs++;
        counts.roundTrips++;
      } else if (type === 0x51) {
        counts.queries++;
        counts.roundTrips++;
      }
    });
    client.on("data", (chunk: Buffer) => {
      counter.feed(chunk);
      if (!backend.write(chunk)) client.pause();
    });
    backend.on("drain", () => client.resume());
    backend.pipe(client);
    const close = () => {
      client.destroy();
      backend.destroy();
      sockets.delete(client);
      sockets.delete(backend);
    };
    client.on("close", close);
    backend.on("close", close);
    client.on("error", close);
    backend.on("error", close);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the proxy has no TCP address");
  return {
    port: address.port,
    counts: () => ({ ...counts }),
    reset() {
      counts.roundTrips = 0;
      counts.syncs = 0;
      counts.queries = 0;
      counts.connections = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

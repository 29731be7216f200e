import { createSocket } from "node:dgram";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import dnsPacket from "dns-packet";

/** A name's records, or "silent": the server never answers queries for it (as a dead authoritative server). */
export type DnsZone = Record<string, { A?: string[]; AAAA?: string[] } | "silent">;

/**
 * A DNS server on 127.0.0.1 (UDP, dns-packet) answering from `zone`: the names it holds, NXDOMAIN for the rest,
 * nothing at all for a "silent" one. It counts the queries it was asked per name.
 */
export async function startDnsServer(zone: DnsZone) {
  const asked = new Map<string, number>();
  const socket = createSocket("udp4");
  socket.on("message", (message, peer) => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    asked.set(name, (asked.get(name) ?? 0) + 1);
    const records = zone[name];
    if (records === "silent") return;
    const type = question.type === "AAAA" ? "AAAA" : "A";
    const answers = (records?.[type] ?? []).map((data) => ({ type, name: question.name, ttl: 60, data }));
    const reply = dnsPacket.encode({
      type: "response",
      id: query.id,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (records ? 0 : 3),
      questions: [question],
      answers,
    } as dnsPacket.Packet);
    socket.send(reply, peer.port, peer.address);
  });
  socket.bind(0, "127.0.0.1");
  await once(socket, "listening");
  const { port } = socket.address() as AddressInfo;
  return {
    server: `127.0.0.1:${port}`,
    /** Queries received for `name` (any type). */
    asked: (name: string) => asked.get(name) ?? 0,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

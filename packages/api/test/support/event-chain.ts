import type { Database } from "@repokeys/db";

type NameChange = { name: string } | null;

/**
 * Replays every stored key's audit events (in the order they were written) and lists each way the events
 * and the stored row disagree: an empty list means no change lacks its event and no event lacks its change.
 * A key's events must be: `created` with the first name, `updated` events each starting from the name the
 * previous one left, at most one `deleted`, and nothing after it; replayed, they give the stored name and
 * deletion.
 */
export async function eventChainProblems(db: Database): Promise<string[]> {
  const keys = await db.prisma.repoAiApiKey.findMany({ select: { id: true, name: true, deletedAt: true } });
  const events = await db.prisma.systemEvent.findMany({
    where: { context: "aillmapikey" },
    orderBy: { id: "asc" },
    select: { id: true, contextId: true, event: true, jsonData: true },
  });
  const byKey = new Map<string, typeof events>();
  for (const e of events) {
    const chain = byKey.get(e.contextId);
    if (chain) chain.push(e);
    else byKey.set(e.contextId, [e]);
  }
  // A key made by a rotation has no `created` event: the old key's `rotated` event names it and its name.
  const bornByRotation = new Map<string, string>();
  for (const e of events) {
    if (e.event !== "rotated") continue;
    const { after } = e.jsonData as { after: { name: string; newApikeyId: string } };
    bornByRotation.set(after.newApikeyId, after.name);
  }
  const problems: string[] = [];
  for (const key of keys) {
    const chain = byKey.get(key.id) ?? [];
    byKey.delete(key.id);
    const problem = (text: string) => problems.push(`key ${key.id}: ${text}`);
    const rotatedFrom = bornByRotation.get(key.id);
    let name: string | undefined = rotatedFrom;
    let deleted = false;
    for (const [index, e] of chain.entries()) {
      const { before, after } = e.jsonData as { before: NameChange; after: NameChange };
      if (deleted) problem(`event ${e.id} (${e.event}) comes after the key's delete event`);
      if (index === 0 && rotatedFrom === undefined) {
        if (e.event !== "created") problem(`the first event is ${e.event}, not created`);
        name = after?.name;
        continue;
      }
      if (e.event === "created") problem(`a second created event (${e.id})`);
      if (before?.name !== name) problem(`event ${e.id} starts from "${before?.name}" but the name was "${name}"`);
      if (e.event === "updated") name = after?.name;
      if (e.event === "deleted") deleted = true;
    }
    if (chain.length === 0 && rotatedFrom === undefined) problem("has no events at all");
    else if (name !== key.name) problem(`events replay to "${name}" but the stored name is "${key.name}"`);
    if (deleted !== (key.deletedAt !== null)) {
      problem(deleted ? "has a delete event but is not deleted" : "is deleted without a delete event");
    }
  }
  for (const contextId of byKey.keys()) problems.push(`events for ${contextId}, which is not a stored key`);
  return problems;
}

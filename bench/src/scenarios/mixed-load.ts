// The mixed scenario: a gateway verifies keys through instance A while people rename and delete
// those keys through instance B. A's answers may lag B's changes by at most KEY_CACHE_TTL_MS; this counts
// every answer that lags more (it must be none) and reports the largest lag it saw.
import { setTimeout as sleep } from "node:timers/promises";

export interface MixedPair {
  id: string;
  key: string;
  secret: string;
  name: string;
}

export interface MixedOptions {
  verifyBase: string;
  mutateBase: string;
  gatewayToken: string;
  token: string;
  repoId: string;
  pairs: MixedPair[];
  durationS: number;
  /** The bound under test: the instances' KEY_CACHE_TTL_MS. */
  boundMs: number;
  verifiers: number;
  /** Pause between two changes made through B. */
  mutateEveryMs: number;
}

export interface MixedResult {
  durationS: number;
  verifications: number;
  renames: number;
  deletes: number;
  errors: number;
  boundMs: number;
  /** Answers older than the bound allows: a deleted key still valid, or a name replaced too long ago. */
  staleBeyondBound: number;
  /** The largest lag seen between a change completing on B and A still answering from before it. */
  maxObservedLagMs: number;
}

interface KeyHistory {
  /** Names in the order they were set, with when the rename answered (the first: the name at creation). */
  names: { name: string; startedAt: number; doneAt: number }[];
  deletedAt?: { startedAt: number; doneAt: number };
}

export async function runMixed(o: MixedOptions): Promise<MixedResult> {
  const history = new Map<string, KeyHistory>(
    o.pairs.map((p) => [p.id, { names: [{ name: p.name, startedAt: 0, doneAt: 0 }] }]),
  );
  const result: MixedResult = {
    durationS: o.durationS,
    verifications: 0,
    renames: 0,
    deletes: 0,
    errors: 0,
    boundMs: o.boundMs,
    staleBeyondBound: 0,
    maxObservedLagMs: 0,
  };
  const endAt = Date.now() + o.durationS * 1_000;
  const auth = (token: string) => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });

  const verifyLoop = async () => {
    while (Date.now() < endAt) {
      const pair = o.pairs[Math.floor(Math.random() * o.pairs.length)]!;
      const sentAt = Date.now();
      const res = await fetch(`${o.verifyBase}/ai/apikey/verify`, {
        method: "POST",
        headers: auth(o.gatewayToken),
        body: JSON.stringify({ key: pair.key, secret: pair.secret }),
      }).catch(() => undefined);
      if (res?.status !== 200) {
        result.errors++;
        continue;
      }
      const answer = (await res.json()) as { valid: boolean; name?: string };
      result.verifications++;
      judge(history.get(pair.id)!, answer, sentAt);
    }
  };

  // A change that completed before the request was sent must show unless the request came within the bound.
  const judge = (h: KeyHistory, answer: { valid: boolean; name?: string }, sentAt: number) => {
    if (answer.valid && h.deletedAt && h.deletedAt.doneAt < sentAt) {
      const lag = sentAt - h.deletedAt.doneAt;
      result.maxObservedLagMs = Math.max(result.maxObservedLagMs, lag);
      if (lag > o.boundMs) result.staleBeyondBound++;
    }
    if (!answer.valid || answer.name === undefined) return;
    // The answer's name may be the last one set before the request, or any set while it was under way;
    // an older name is a lag of (send time − when the rename that replaced it answered).
    const shown = h.names.findLastIndex((n) => n.name === answer.name && n.startedAt <= sentAt);
    const replacedBy = h.names[shown + 1];
    if (shown < 0)
      result.staleBeyondBound++; // a name this key never had
    else if (replacedBy && replacedBy.doneAt < sentAt) {
      const lag = sentAt - replacedBy.doneAt;
      result.maxObservedLagMs = Math.max(result.maxObservedLagMs, lag);
      if (lag > o.boundMs) result.staleBeyondBound++;
    }
  };

  let counter = 0;
  const mutateLoop = async () => {
    while (Date.now() < endAt) {
      await sleep(o.mutateEveryMs);
      const live = o.pairs.filter((p) => !history.get(p.id)!.deletedAt);
      if (live.length <= o.pairs.length / 4) continue; // keep most keys alive to verify
      const pair = live[Math.floor(Math.random() * live.length)]!;
      const h = history.get(pair.id)!;
      const startedAt = Date.now();
      const path = `/repo/${o.repoId}/ai/apikey/${pair.id}`;
      if (Math.random() < 0.2) {
        const res = await fetch(o.mutateBase + path, { method: "DELETE", headers: auth(o.token) });
        if (res.status === 200) {
          h.deletedAt = { startedAt, doneAt: Date.now() };
          result.deletes++;
        } else result.errors++;
      } else {
        const name = `mixed ${++counter}`;
        // Recorded before it is sent: an answer may show it as soon as the statement commits.
        const entry = { name, startedAt, doneAt: Number.POSITIVE_INFINITY };
        h.names.push(entry);
        const res = await fetch(o.mutateBase + path, {
          method: "PUT",
          headers: auth(o.token),
          body: JSON.stringify({ name }),
        });
        entry.doneAt = Date.now();
        if (res.status === 200) result.renames++;
        else result.errors++;
      }
    }
  };

  await Promise.all([mutateLoop(), ...Array.from({ length: o.verifiers }, verifyLoop)]);
  return result;
}

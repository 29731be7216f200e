// What the verify scenarios send: each request one of the seeded key/secret pairs, in turn, with the gateway token.
import type autocannon from "autocannon";

export interface VerifyPair {
  id: string;
  key: string;
  secret: string;
  name: string;
}

/**
 * Creates `count` keys in `repoId` through the REST API, keeping each one's secret (shown once) for the load;
 * `width` at a time.
 */
export async function createVerifyPairs(
  appBase: string,
  token: string,
  repoId: string,
  count: number,
  tag: string,
  width = 1,
): Promise<VerifyPair[]> {
  const pairs: VerifyPair[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const name = `${tag} ${i}`;
      const res = await fetch(`${appBase}/repo/${repoId}/ai/apikey`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ name, aiType: "ANTHROPIC" }),
      });
      const body = (await res.json()) as { id: string; key: string; secret: string };
      if (res.status !== 201) throw new Error(`seeding a key to verify answered ${res.status}`);
      pairs[i] = { id: body.id, key: body.key, secret: body.secret, name };
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return pairs;
}

let verifyCounter = 0;

export function verifyRequests(pairs: VerifyPair[], gatewayToken: string): Pick<autocannon.Options, "requests"> {
  const headers = { authorization: `Bearer ${gatewayToken}`, "content-type": "application/json" };
  return {
    requests: [
      {
        setupRequest: (req: autocannon.Request) => {
          const pair = pairs[verifyCounter++ % pairs.length]!;
          return {
            ...req,
            method: "POST",
            path: "/ai/apikey/verify",
            headers,
            body: JSON.stringify({ key: pair.key, secret: pair.secret }),
          };
        },
      } as autocannon.Request,
    ],
  };
}

import type { Metadata } from "next";
import { TokensPanel } from "@/components/tokens/tokens-panel";
import { webCaller } from "@/server/caller";
import { requireActor } from "@/server/session";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const actor = await requireActor("/tokens");
  const tokens = await webCaller(actor).listApiTokens();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>API tokens</h1>
          <p>
            Personal tokens for scripts and services that manage keys over the REST API (
            <code>Authorization: Bearer …</code>). A token acts as you, with your roles.
          </p>
        </div>
      </div>
      <TokensPanel initialTokens={tokens} />
    </>
  );
}

import { CopyButton } from "./copy-button";

/** The repository's id, and a call to paste into a terminal, for people scripting against the REST API. */
export function RepoApiAccess({ repoId, origin }: { repoId: string; origin: string }) {
  const curl = `curl ${origin}/repo/${repoId}/ai/apikey -H "Authorization: Bearer $REPOKEYS_TOKEN"`;
  return (
    <section className="card card-body api-access" aria-labelledby="api-access-heading">
      <h2 id="api-access-heading" className="h3">
        Use from the REST API
      </h2>
      <div className="copy-line">
        <span className="copy-line-label">Repository id</span>
        <code className="truncate" title={repoId}>
          {repoId}
        </code>
        <CopyButton value={repoId} label="repository id" />
      </div>
      <p className="muted">
        List this repository&apos;s keys (set <code>REPOKEYS_TOKEN</code> to a token from the{" "}
        <a href="/tokens">API tokens</a> page):
      </p>
      <div className="copy-block">
        <pre>
          <code>{curl}</code>
        </pre>
        <CopyButton value={curl} label="curl example" />
      </div>
    </section>
  );
}

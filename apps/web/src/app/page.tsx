export default function Home() {
  return (
    <main>
      <h1>repokeys</h1>
      <p>
        Per-repository AI API keys. The REST API is documented at <a href="/openapi.json">/openapi.json</a>.
      </p>
    </main>
  );
}

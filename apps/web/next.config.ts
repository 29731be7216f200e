import type { NextConfig } from "next";

const config: NextConfig = {
  // @repokeys/api and @repokeys/db are not bundled: server.ts hands their instances over (src/server/services.ts).
  // @repokeys/api is compiled only for what the browser imports of it: its zod schemas (@repokeys/api/schemas).
  transpilePackages: ["@repokeys/api", "@repokeys/auth", "@repokeys/crypto"],
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/client",
    "@prisma/adapter-pg",
    "pg",
    "@node-rs/argon2",
    "pino",
  ],
  poweredByHeader: false,
  // Browsers ask for /favicon.ico whatever the page links; answer it with the same SVG icon.
  rewrites: async () => [{ source: "/favicon.ico", destination: "/favicon.svg" }],
};

export default config;

import type { NextConfig } from "next";

const config: NextConfig = {
  // @repokeys/api and @repokeys/db are not bundled: server.ts hands their instances over (src/server/services.ts).
  transpilePackages: ["@repokeys/auth", "@repokeys/crypto"],
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
};

export default config;

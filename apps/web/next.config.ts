import type { NextConfig } from "next";

const config: NextConfig = {
  transpilePackages: ["@repokeys/api", "@repokeys/auth", "@repokeys/crypto", "@repokeys/db"],
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

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // A real production server and a real browser on 2 shared cores.
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});

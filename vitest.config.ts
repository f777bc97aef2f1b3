import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/**/*.test.ts", "proxy-standin/test/**/*.test.ts"],
          exclude: ["test/integration/**"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 600_000,
          // One lab serves every file: files run one at a time in one process.
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
          globalSetup: ["test/integration/global-setup.ts"],
        },
      },
    ],
  },
});

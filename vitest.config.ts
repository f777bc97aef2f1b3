import { defineConfig } from "vitest/config";

// CI machines are shared and noisy (2 cores, load averages above 10 were seen): a timing-sensitive test gets two
// more tries there, and a real failure still fails all three.
const retry = process.env.CI ? 2 : 0;

export default defineConfig({
  test: {
    retry,
    projects: [
      {
        test: {
          name: "unit",
          retry,
          include: ["test/**/*.test.ts", "proxy-standin/test/**/*.test.ts"],
          exclude: ["test/integration/**"],
          globalSetup: ["test/cli/build-once.ts"],
        },
      },
      {
        test: {
          name: "integration",
          retry,
          include: ["test/integration/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 600_000,
          // One lab serves every file: files run one at a time in one process.
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
          globalSetup: ["test/cli/build-once.ts", "test/integration/global-setup.ts"],
        },
      },
    ],
  },
});

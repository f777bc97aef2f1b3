/** Kamal's `[y, N]` question; without a terminal to ask, the answer is no (pass -y in scripts and CI). */
export async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(`${question} [y, N] (N) `)).trim() === "y";
  } finally {
    rl.close();
  }
}

// What `docker inspect` says of a container that failed to become healthy (commands/diagnose.ts containerState).
import * as z from "zod";

export type ContainerState = {
  /** docker's status: created, running, restarting, exited, dead… */
  readonly status: string;
  readonly exitCode: number;
  readonly oomKilled: boolean;
  readonly restarts: number;
  /** the memory limit in bytes; 0 when there is none */
  readonly memoryLimit: number;
};

const inspected = z.object({
  state: z.object({ Status: z.string(), ExitCode: z.number(), OOMKilled: z.boolean() }),
  restarts: z.number(),
  memory: z.number(),
});

/** undefined when the output is not the inspect format's JSON (no such container, docker failed). */
export function containerStateOf(output: string): ContainerState | undefined {
  let json: unknown;
  try {
    json = JSON.parse(output.trim());
  } catch {
    return undefined;
  }
  const parsed = inspected.safeParse(json);
  if (!parsed.success) return undefined;
  const { state, restarts, memory } = parsed.data;
  return { status: state.Status, exitCode: state.ExitCode, oomKilled: state.OOMKilled, restarts, memoryLimit: memory };
}

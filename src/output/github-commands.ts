// GitHub Actions workflow commands (https://docs.github.com/actions/reference/workflow-commands-for-github-actions):
// lines of the form `::name key=value,...::message` in a step's log. Escaping follows @actions/core's command.ts:
// `%`, CR and LF everywhere, and `:` and `,` too in property values, where they would end the value.
import { ConfigError, HostsFailedError, RemoteCommandError, SextantError, type Issue } from "../errors.ts";

export const escapeData = (s: string): string => s.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");

export const escapeProperty = (s: string): string => escapeData(s).replaceAll(":", "%3A").replaceAll(",", "%2C");

export type AnnotationProperties = {
  readonly title?: string;
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
};

/** One workflow command line, newline included. */
export function workflowCommand(name: string, message: string, props: AnnotationProperties = {}): string {
  const list = Object.entries(props)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(",");
  return `::${name}${list ? ` ${list}` : ""}::${escapeData(message)}\n`;
}

/**
 * The `::error` annotations of a failure: one per config issue, at its file, line and column (`file` relative to
 * the repository, so GitHub shows it on the line); one per failed host; otherwise one for the error.
 */
export function errorAnnotations(err: unknown, repoPath: (file: string) => string = (f) => f): string[] {
  if (err instanceof ConfigError && err.issues.length > 0) return err.issues.map((i) => issueAnnotation(i, repoPath));
  if (err instanceof HostsFailedError)
    return [...err.failures].map(([host, e]) => workflowCommand("error", withHint(unprefixed(host, e.message), e), { title: `sextant: failed on ${host}` }));
  if (err instanceof RemoteCommandError)
    return [workflowCommand("error", withHint(unprefixed(err.host, err.message), err), { title: `sextant: failed on ${err.host}` })];
  if (err instanceof SextantError) return [workflowCommand("error", withHint(err.message, err), { title: "sextant" })];
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return [workflowCommand("error", message, { title: "sextant: this is a bug in sextant" })];
}

function issueAnnotation(issue: Issue, repoPath: (file: string) => string): string {
  const message = `${issue.path ? `${issue.path}: ` : ""}${issue.message}${issue.fix ? `\nfix: ${issue.fix}` : ""}`;
  return workflowCommand("error", message, { file: repoPath(issue.file), line: issue.line, col: issue.column, title: "sextant: invalid config" });
}

/** The title names the host already. */
const unprefixed = (host: string, message: string) => (message.startsWith(`[${host}] `) ? message.slice(host.length + 3) : message);

const withHint = (message: string, err: unknown) =>
  err instanceof SextantError && err.hint ? `${message}\nfix: ${err.hint}` : message;

// When Ruby runs a backtick command itself and when it hands it to /bin/sh (process.c, rb_exec_fillarg). The
// difference shows when the program is missing: the shell prints "not found" and exits 127, and Ruby carries on
// with the output; a command Ruby starts itself raises Errno::ENOENT and the template stops there.

/** Characters that make Ruby use /bin/sh rather than start the program itself. */
const SHELL_META = /[*?{}[\]<>()~&|\\$;'`"\n#]/;

/** Words the shell must run, so Ruby passes the command to it even without metacharacters. */
const SHELL_WORDS = new Set([
  "!", ".", ":", "break", "case", "colon", "continue", "do", "done", "elif", "else", "esac", "eval", "exec", "exit",
  "export", "fi", "for", "if", "in", "readonly", "return", "set", "shift", "then", "times", "trap", "unset", "until", "while",
]);

/** The program Ruby would start itself for this command, or undefined when Ruby passes it to /bin/sh. */
export function programRubyStarts(command: string): string | undefined {
  if (SHELL_META.test(command)) return undefined;
  const first = command.trim().split(/[ \t]+/)[0] ?? "";
  // `NAME=value cmd` is a shell assignment; an empty command has no program.
  if (first === "" || first.includes("=") || SHELL_WORDS.has(first)) return undefined;
  return first;
}

/** /bin/sh's exit status for a program it cannot find. */
export const SHELL_NOT_FOUND = 127;

// Commander gives an option that takes a value whatever word follows it, so `lock acquire -m --dry-run` would run
// for real with the message "--dry-run". Thor does the same. A value that is itself one of the command's options is
// almost always a forgotten value, so it is refused before parsing; `--message=--dry-run` still says it on purpose.
import type { Command, Option } from "commander";
import { UsageError } from "../errors.ts";

/** Throws UsageError when an option that needs a value is followed by a known option instead (`-m --dry-run`). */
export function checkOptionValues(program: Command, line: readonly string[]): void {
  let command = program;
  const options: Option[] = [...program.options];
  for (let i = 0; i < line.length; i++) {
    const token = line[i] ?? "";
    if (token === "--") return;
    if (!token.startsWith("-") || token === "-") {
      const sub = command.commands.find((c) => c.name() === token || c.aliases().includes(token));
      if (sub) {
        command = sub;
        options.push(...sub.options);
      }
      continue;
    }
    const option = options.find((o) => o.long === token || o.short === token);
    if (!option?.required) continue;
    const value = line[i + 1];
    if (value !== undefined && isKnownOption(value, options)) {
      const spelled = `${option.long ?? option.short ?? token}${option.long ? "=" : ""}${value}`;
      throw new UsageError(`${token} needs a value, but the next word is the option ${value}`, {
        hint: `give ${token} its value; if ${value} really is the value, write it attached: ${spelled}`,
      });
    }
    i++;
  }
}

function isKnownOption(word: string, options: readonly Option[]): boolean {
  const name = word.split("=")[0] ?? word;
  return name === "--help" || options.some((o) => o.long === name || o.short === name || o.negate && `--${o.attributeName()}` === name);
}

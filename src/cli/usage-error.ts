import type { Command, CommanderError } from "commander";
import { closest } from "../config/suggest.ts";
import { UsageError } from "../errors.ts";

/** How commander appends its guess (showSuggestionAfterError): "\n(Did you mean boot?)" or "(Did you mean one of a, b?)". */
const GUESS = /\n\(Did you mean (?:one of )?(.+)\?\)$/;

/**
 * A commander parse error as one message and a fix: commander's guess, if it has one, becomes the fix, and the
 * fix names the help of the command the error is about (`kamal app logs --help`), spelt as the user invoked it.
 */
export function usageErrorOf(err: CommanderError, at: Command): UsageError {
  const guesses = GUESS.exec(err.message)?.[1]?.split(", ");
  const message = err.message.replace(GUESS, "").replace(/^error: /, "");
  const path = commandPath(at);
  if (guesses === undefined) return new UsageError(message, { hint: `run \`${path} --help\`` });
  if (err.code === "commander.unknownCommand") {
    return new UsageError(message, { hint: `did you mean ${orList(guesses.map((g) => `\`${path} ${g}\``))}? \`${path} --help\` lists the commands` });
  }
  return new UsageError(message, { hint: `did you mean ${orList(guesses)}? \`${path} --help\` lists the options` });
}

/**
 * An option before any command (`sextant -x`), which commander would only report after printing the help. Long
 * options get a guess among the global ones; a single letter is too short to guess from.
 */
export function unknownGlobalOptionError(flag: string, program: Command): UsageError {
  const name = program.name();
  const longs = program.options.flatMap((o) => (o.long === undefined ? [] : [o.long]));
  const guess = flag.startsWith("--") ? closest(flag, [...longs, "--help"]) : undefined;
  return new UsageError(`unknown option '${flag}'`, {
    hint: guess === undefined ? `run \`${name} --help\`` : `did you mean ${guess}? \`${name} --help\` lists the options`,
  });
}

/** `kamal app logs`: the words that run this command. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let at: Command | null = cmd; at; at = at.parent) names.unshift(at.name());
  return names.join(" ");
}

const orList = (items: readonly string[]) => (items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`);

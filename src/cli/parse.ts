import { InvalidArgumentError } from "commander";

/** Option parser for counts and seconds: a whole number, 0 or more. */
export function wholeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a whole number");
  return n;
}

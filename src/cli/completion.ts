import { Argument, type Command, type Option } from "commander";
import { completionScripts, SHELLS, type CompletionNode, type CompletionOption, type Shell } from "./completion-scripts.ts";
import type { CliDeps } from "./deps.ts";

/** `sextant completion bash|zsh|fish`: the script is made from the program itself, so it lists what help lists. */
export function registerCompletion(program: Command, deps: CliDeps): void {
  const name = program.name();
  program
    .command("completion")
    .description("Print a shell completion script for commands and options")
    .addArgument(new Argument("<shell>", "the shell to complete in").choices(SHELLS))
    .addHelpText("after", [
      "",
      "Install:",
      `  bash  ${name} completion bash > ~/.local/share/bash-completion/completions/${name}`,
      `  zsh   ${name} completion zsh > "\${fpath[1]}/_${name}"   (or: source <(${name} completion zsh) in ~/.zshrc)`,
      `  fish  ${name} completion fish > ~/.config/fish/completions/${name}.fish`,
    ].join("\n"))
    .action((shell: Shell) => deps.reporter.result(completionScripts[shell](completionTree(program), name)));
}

/** The commands and options that help shows (hidden ones left out), as the completion scripts need them. */
export function completionTree(cmd: Command): CompletionNode {
  const help = cmd.createHelp();
  return {
    name: cmd.name(),
    aliases: cmd.aliases(),
    description: cmd.description(),
    options: help.visibleOptions(cmd).flatMap(completionOption),
    commands: help.visibleCommands(cmd).map(completionTree),
  };
}

/** Long options only: a short one is always another spelling of a long one here. */
function completionOption(option: Option): CompletionOption[] {
  return option.long === undefined ? [] : [{ long: option.long, short: option.short, description: option.description }];
}

import { spawnSync } from "node:child_process";
import { Command } from "commander";
import { describe, expect, test } from "vitest";
import { bashCompletion, fishCompletion, zshCompletion } from "../../src/cli/completion-scripts.ts";
import { completionTree } from "../../src/cli/completion.ts";
import { buildProgram } from "../../src/cli/program.ts";
import { createReporter } from "../../src/output/create.ts";
import { Readable } from "node:stream";

/** A small program in the shape of sextant's: a global option, a command, and a group with an aliased subcommand. */
function tinyProgram(): Command {
  const program = new Command("tool").helpOption("--help", "Show help").option("-v, --verbose", "Say more");
  program.command("deploy").description("Deploy it").option("-P, --skip-push", "Only pull");
  const app = program.command("app").description("The app");
  app.command("stale_containers").alias("stale-containers").description("Old ones").option("-s, --stop", "Stop them");
  app.command("hidden_step", { hidden: true }).description("Not offered");
  return program;
}

const sink = { write: () => true };
const realProgram = (programName?: string) =>
  buildProgram({
    io: { cwd: "/", env: {}, stdout: sink, stderr: sink, signal: new AbortController().signal, programName, stdin: Readable.from([]) },
    reporter: createReporter({ json: false, verbosity: "normal", noColor: true, version: "test", stdout: sink, stderr: sink }),
    version: "test",
    withContext: () => Promise.reject(new Error("not in these tests")),
  });

describe("completionTree", () => {
  test("has the commands and options help shows, hidden ones left out", () => {
    expect(completionTree(tinyProgram())).toMatchInlineSnapshot(`
      {
        "aliases": [],
        "commands": [
          {
            "aliases": [],
            "commands": [],
            "description": "Deploy it",
            "name": "deploy",
            "options": [
              {
                "description": "Only pull",
                "long": "--skip-push",
                "short": "-P",
              },
              {
                "description": "Show help",
                "long": "--help",
                "short": undefined,
              },
            ],
          },
          {
            "aliases": [],
            "commands": [
              {
                "aliases": [
                  "stale-containers",
                ],
                "commands": [],
                "description": "Old ones",
                "name": "stale_containers",
                "options": [
                  {
                    "description": "Stop them",
                    "long": "--stop",
                    "short": "-s",
                  },
                  {
                    "description": "Show help",
                    "long": "--help",
                    "short": undefined,
                  },
                ],
              },
              {
                "aliases": [],
                "commands": [],
                "description": "display help for command",
                "name": "help",
                "options": [],
              },
            ],
            "description": "The app",
            "name": "app",
            "options": [
              {
                "description": "Show help",
                "long": "--help",
                "short": undefined,
              },
            ],
          },
          {
            "aliases": [],
            "commands": [],
            "description": "display help for command",
            "name": "help",
            "options": [],
          },
        ],
        "description": "",
        "name": "tool",
        "options": [
          {
            "description": "Say more",
            "long": "--verbose",
            "short": "-v",
          },
          {
            "description": "Show help",
            "long": "--help",
            "short": undefined,
          },
        ],
      }
    `);
  });

  test("follows sextant's own program, so it never drifts from the commands", () => {
    const tree = completionTree(realProgram());
    const app = tree.commands.find((c) => c.name === "app");
    expect(tree.commands.map((c) => c.name)).toContain("deploy");
    expect(app?.commands.map((c) => c.name)).toContain("logs");
    expect(app?.commands.find((c) => c.name === "logs")?.options.map((o) => o.long)).toContain("--follow");
    expect(tree.options.map((o) => o.long)).toContain("--dry-run");
  });
});

describe("scripts", () => {
  test("bash", () => {
    expect(bashCompletion(completionTree(tinyProgram()), "tool")).toMatchInlineSnapshot(`
      "# bash completion for tool. Install: tool completion bash > ~/.local/share/bash-completion/completions/tool
      _tool_completion() {
        local at="" word i words
        for ((i = 1; i < COMP_CWORD; i++)); do
          word=\${COMP_WORDS[i]}
          case "$at/$word" in
            /deploy) at=/deploy ;;
            /app) at=/app ;;
            /help) at=/help ;;
            /app/stale_containers|/app/stale-containers) at=/app/stale_containers ;;
            /app/help) at=/app/help ;;
          esac
        done
        case "$at" in
          "") words="deploy app help --verbose --help" ;;
          /deploy) words="--skip-push --help --verbose" ;;
          /app) words="stale_containers help --help --verbose" ;;
          /app/stale_containers) words="--stop --help --verbose" ;;
          /app/help) words="--verbose --help" ;;
          /help) words="--verbose --help" ;;
        esac
        COMPREPLY=($(compgen -W "$words" -- "\${COMP_WORDS[COMP_CWORD]}"))
      }
      complete -o default -F _tool_completion tool
      "
    `);
  });

  test("zsh", () => {
    expect(zshCompletion(completionTree(tinyProgram()), "tool")).toMatchInlineSnapshot(`
      "#compdef tool
      # zsh completion for tool. Install: tool completion zsh > "\${fpath[1]}/_tool", or add \`source <(tool completion zsh)\` to ~/.zshrc
      _tool_completion() {
        local at="" word i
        local -a candidates
        for ((i = 2; i < CURRENT; i++)); do
          word=\${words[i]}
          case "$at/$word" in
            /deploy) at=/deploy ;;
            /app) at=/app ;;
            /help) at=/help ;;
            /app/stale_containers|/app/stale-containers) at=/app/stale_containers ;;
            /app/help) at=/app/help ;;
          esac
        done
        case "$at" in
          "") candidates=('deploy:Deploy it' 'app:The app' 'help:display help for command' '--verbose:Say more' '--help:Show help') ;;
          /deploy) candidates=('--skip-push:Only pull' '--help:Show help' '--verbose:Say more') ;;
          /app) candidates=('stale_containers:Old ones' 'help:display help for command' '--help:Show help' '--verbose:Say more') ;;
          /app/stale_containers) candidates=('--stop:Stop them' '--help:Show help' '--verbose:Say more') ;;
          /app/help) candidates=('--verbose:Say more' '--help:Show help') ;;
          /help) candidates=('--verbose:Say more' '--help:Show help') ;;
        esac
        _describe -t commands tool candidates
      }
      if [[ $funcstack[1] == _tool ]]; then _tool_completion "$@"; else compdef _tool_completion tool; fi
      "
    `);
  });

  test("fish", () => {
    expect(fishCompletion(completionTree(tinyProgram()), "tool")).toMatchInlineSnapshot(`
      "# fish completion for tool. Install: tool completion fish > ~/.config/fish/completions/tool.fish
      function __tool_command
          set -l at tool
          set -l words (commandline -opc)
          set -e words[1]
          for word in $words
              switch "$at/$word"
                  case tool/deploy
                      set at tool/deploy
                  case tool/app
                      set at tool/app
                  case tool/help
                      set at tool/help
                  case tool/app/stale_containers tool/app/stale-containers
                      set at tool/app/stale_containers
                  case tool/app/help
                      set at tool/app/help
              end
          end
          echo $at
      end
      complete -c tool -l verbose -s v -d 'Say more'
      complete -c tool -l help -d 'Show help'
      complete -c tool -f -n 'test (__tool_command) = tool' -a deploy -d 'Deploy it'
      complete -c tool -f -n 'test (__tool_command) = tool' -a app -d 'The app'
      complete -c tool -f -n 'test (__tool_command) = tool' -a help -d 'display help for command'
      complete -c tool -n 'test (__tool_command) = tool/deploy' -l skip-push -s P -d 'Only pull'
      complete -c tool -f -n 'test (__tool_command) = tool/app' -a stale_containers -d 'Old ones'
      complete -c tool -f -n 'test (__tool_command) = tool/app' -a help -d 'display help for command'
      complete -c tool -n 'test (__tool_command) = tool/app/stale_containers' -l stop -s s -d 'Stop them'
      "
    `);
  });
});

describe("the bash script, run by bash", () => {
  /** What bash offers after the given words, the last one being the word under the cursor. */
  function complete(script: string, words: readonly string[]): string {
    const line = `eval "$(cat)"; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _sextant_completion; echo "\${COMPREPLY[*]}"`;
    const bash = spawnSync("bash", ["-c", line], { input: script, encoding: "utf8" });
    if (bash.status !== 0 || bash.stderr !== "") throw new Error(bash.stderr);
    return bash.stdout.trim();
  }
  const script = bashCompletion(completionTree(realProgram()), "sextant");

  test("completes commands, subcommands, and options global or the command's own", () => {
    expect(complete(script, ["sextant", "dep"])).toBe("deploy");
    expect(complete(script, ["sextant", "app", "bo"])).toBe("boot");
    expect(complete(script, ["sextant", "app", "logs", "--fo"])).toBe("--follow");
    expect(complete(script, ["sextant", "deploy", "--dry"])).toBe("--dry-run");
  });

  test("skips options and their values to find the command, and knows the dashed spellings", () => {
    expect(complete(script, ["sextant", "-d", "staging", "app", "lo"])).toBe("logs");
    expect(complete(script, ["sextant", "app", "stale-containers", "--st"])).toBe("--stop");
  });
});

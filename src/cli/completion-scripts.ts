// Shell completion scripts for a command tree. Each script works out which command the words typed so far name
// (skipping options and their values), then offers that command's subcommands and options plus the global ones.
// Pure: the tree comes from the program itself (completion.ts), so the scripts never drift from the commands.

export type CompletionOption = { readonly long: string; readonly short: string | undefined; readonly description: string };

export type CompletionNode = {
  readonly name: string;
  /** other spellings that run this command (`stale-containers`) */
  readonly aliases: readonly string[];
  readonly description: string;
  /** this command's own options; the root's are the global options, offered everywhere */
  readonly options: readonly CompletionOption[];
  readonly commands: readonly CompletionNode[];
};

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

/** Every command with the `/`-joined path of its words (`/app/logs`); the root is "". */
function walk(node: CompletionNode, path = ""): { path: string; node: CompletionNode }[] {
  return [{ path, node }, ...node.commands.flatMap((c) => walk(c, `${path}/${c.name}`))];
}

/** What to offer after a command: its subcommands, its options, then the global options (each once). */
function offers(root: CompletionNode, node: CompletionNode): { word: string; description: string }[] {
  const seen = new Set<string>();
  return [
    ...node.commands.map((c) => ({ word: c.name, description: c.description })),
    ...[...node.options, ...(node === root ? [] : root.options)].map((o) => ({ word: o.long, description: o.description })),
  ].filter(({ word }) => !seen.has(word) && Boolean(seen.add(word)));
}

/** `case` branches (bash and zsh) that move `at` down one command when the word names a subcommand. */
function descentCases(root: CompletionNode, indent: string): string[] {
  return walk(root).flatMap(({ path, node }) =>
    node.commands.map((c) => `${indent}${[c.name, ...c.aliases].map((n) => `${path}/${n}`).join("|")}) at=${path}/${c.name} ;;`),
  );
}

const fn = (name: string) => `_${name.replace(/\W/g, "_")}_completion`;
const singleQuoted = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

export function bashCompletion(root: CompletionNode, name: string): string {
  return [
    `# bash completion for ${name}. Install: ${name} completion bash > ~/.local/share/bash-completion/completions/${name}`,
    `${fn(name)}() {`,
    `  local at="" word i words`,
    `  for ((i = 1; i < COMP_CWORD; i++)); do`,
    `    word=\${COMP_WORDS[i]}`,
    `    case "$at/$word" in`,
    ...descentCases(root, "      "),
    `    esac`,
    `  done`,
    `  case "$at" in`,
    ...walk(root).map(({ path, node }) => `    ${path === "" ? `""` : path}) words="${offers(root, node).map((o) => o.word).join(" ")}" ;;`),
    `  esac`,
    `  COMPREPLY=($(compgen -W "$words" -- "\${COMP_WORDS[COMP_CWORD]}"))`,
    `}`,
    `complete -o default -F ${fn(name)} ${name}`,
    "",
  ].join("\n");
}

export function zshCompletion(root: CompletionNode, name: string): string {
  const describe = (word: string, description: string) => singleQuoted(`${word.replaceAll(":", "\\:")}:${description}`);
  return [
    `#compdef ${name}`,
    `# zsh completion for ${name}. Install: ${name} completion zsh > "\${fpath[1]}/_${name}", or add \`source <(${name} completion zsh)\` to ~/.zshrc`,
    `${fn(name)}() {`,
    `  local at="" word i`,
    `  local -a candidates`,
    `  for ((i = 2; i < CURRENT; i++)); do`,
    `    word=\${words[i]}`,
    `    case "$at/$word" in`,
    ...descentCases(root, "      "),
    `    esac`,
    `  done`,
    `  case "$at" in`,
    ...walk(root).map(({ path, node }) =>
      `    ${path === "" ? `""` : path}) candidates=(${offers(root, node).map((o) => describe(o.word, o.description)).join(" ")}) ;;`),
    `  esac`,
    `  _describe -t commands ${name} candidates`,
    `}`,
    `if [[ $funcstack[1] == _${name} ]]; then ${fn(name)} "$@"; else compdef ${fn(name)} ${name}; fi`,
    "",
  ].join("\n");
}

export function fishCompletion(root: CompletionNode, name: string): string {
  const at = `__${name.replace(/\W/g, "_")}_command`;
  const option = (o: CompletionOption, condition: string) =>
    `complete -c ${name}${condition} -l ${o.long.replace(/^--/, "")}${o.short ? ` -s ${o.short.replace(/^-/, "")}` : ""} -d ${singleQuoted(o.description)}`;
  const lines = [
    `# fish completion for ${name}. Install: ${name} completion fish > ~/.config/fish/completions/${name}.fish`,
    `function ${at}`,
    `    set -l at ${name}`,
    `    set -l words (commandline -opc)`,
    `    set -e words[1]`,
    `    for word in $words`,
    `        switch "$at/$word"`,
    ...walk(root).flatMap(({ path, node }) =>
      node.commands.flatMap((c) => [
        `            case ${[c.name, ...c.aliases].map((n) => `${name}${path}/${n}`).join(" ")}`,
        `                set at ${name}${path}/${c.name}`,
      ])),
    `        end`,
    `    end`,
    `    echo $at`,
    `end`,
    ...root.options.map((o) => option(o, "")),
  ];
  for (const { path, node } of walk(root)) {
    const condition = ` -n ${singleQuoted(`test (${at}) = ${name}${path}`)}`;
    lines.push(...node.commands.map((c) => `complete -c ${name} -f${condition} -a ${c.name} -d ${singleQuoted(c.description)}`));
    if (node !== root) lines.push(...node.options.filter((o) => !root.options.some((g) => g.long === o.long)).map((o) => option(o, condition)));
  }
  return `${lines.join("\n")}\n`;
}

export const completionScripts: Readonly<Record<Shell, (root: CompletionNode, name: string) => string>> = {
  bash: bashCompletion,
  zsh: zshCompletion,
  fish: fishCompletion,
};

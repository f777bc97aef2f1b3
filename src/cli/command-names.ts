/** Thor runs `remove-container` as `remove_container`; commander needs the dashed spelling as an alias. */
export const dashedAliases = (name: string): string[] => (name.includes("_") ? [name.replaceAll("_", "-")] : []);

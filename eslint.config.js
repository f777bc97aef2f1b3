// Lint on top of `tsc --noEmit`: typescript-eslint's recommended rules, no type-aware rules (they would double
// the time of `npm run lint` for little gain over the compiler's strict mode).
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "**/dist/**", "coverage/**", ".tmp-*/**", ".lab/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The bundled code only; tests and scripts are not bundled.
    files: ["src/**", "bin/**"],
    rules: {
      // `import { z }` hands esbuild zod's namespace as one value, so the bundle keeps every locale (~550 KB more
      // to parse at startup); `import * as z` lets it keep only what we call.
      "no-restricted-syntax": [
        "error",
        {
          selector: "ImportDeclaration[source.value='zod'][importKind='value'] > :matches(ImportSpecifier[imported.name='z'], ImportDefaultSpecifier)",
          message: 'use `import * as z from "zod"` (startup time)',
        },
      ],
    },
  },
);

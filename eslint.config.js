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
);

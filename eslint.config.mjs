// ESLint (flat config), run by `npm run lint` in `npm test`. Formatting is Prettier's (`npm run format:check`);
// cycles and layers are dependency-cruiser's (`npm run lint:deps`, .dependency-cruiser.cjs), so no
// import-x/no-cycle here. Type-aware rules are off: they would type-check the whole project a second time.
import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import importX from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

import importSpelling from "./scripts/lint/import-spelling.mjs";

/** Our code, where `@/` resolves (tsconfig paths); root config files are loaded by tools that do not know it. */
const OUR_FOLDERS = ["app", "components", "lib", "test", "scripts", "bench", "e2e"].map(
  (folder) => `${folder}/**/*.{ts,tsx}`,
);

/** Product code: what the raw-SQL, configuration and logging rules hold to. */
const PRODUCT_CODE = ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}", "scripts/**/*.{ts,tsx}"];
const TESTS = ["**/*.test.{ts,tsx}"];
const RAW_SQL = ["$queryRaw", "$executeRaw", "$queryRawUnsafe", "$executeRawUnsafe", "$queryRawTyped"].map(
  (property) => ({
    property,
    message: "Raw SQL lives in lib/db (with its reason); call a lib/db function or use the model API.",
  }),
);
const PROCESS_ENV = {
  object: "process",
  property: "env",
  message: "Read configuration through lib/config (appConfig() or a *Config(env?) reader), not process.env.",
};

export default tseslint.config(
  {
    ignores: [
      "lib/generated/**",
      ".next/**",
      "node_modules/**",
      "test-reports/**",
      "test-results/**",
      "playwright-report/**",
      "bench-results/**",
      "e2e/artifacts/**",
      ".data/**",
      "next-env.d.ts",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Prettier wraps code at 120 but leaves comments and strings as written: this catches long comments.
      "max-len": [
        "error",
        { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true, ignoreRegExpLiterals: true },
      ],
      // `_name` marks a parameter or element a signature needs but the body does not use.
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          // `const { a, ...rest } = x` is how a copy without `a` is made.
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    files: ["**/*.{js,cjs}"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    plugins: { "@next/next": nextPlugin, "react-hooks": reactHooks },
    settings: { next: { rootDir: "." } },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      ...reactHooks.configs.flat.recommended.rules,
    },
  },
  {
    files: ["**/*.{ts,tsx,mjs,mts}"],
    plugins: { "import-x": importX },
    rules: {
      "import-x/first": "error",
      "import-x/newline-after-import": "error",
      "import-x/no-duplicates": ["error", { "prefer-inline": true }],
      // Node built-ins, then packages, then our `@/…` modules, then siblings; a blank line between groups.
      "import-x/order": [
        "error",
        {
          groups: ["builtin", "external", "internal", ["parent", "sibling", "index"]],
          pathGroups: [{ pattern: "@/**", group: "internal" }],
          pathGroupsExcludedImportTypes: ["builtin"],
          "newlines-between": "always",
          alphabetize: { order: "asc", caseInsensitive: true },
        },
      ],
    },
  },
  // Raw SQL only in lib/db, where each statement carries its one-line reason it is not the model API
  // (ARCHITECTURE.md); configuration only through lib/config (one zod schema, parsed once; a wrong value names its
  // variable): code calls appConfig() or a *Config(env?) reader and takes an `env` parameter only so tests can pass
  // their own. One rule holds both, so three blocks: everywhere both, in lib/db the second, in lib/config the first.
  // Tests, test/ helpers, bench/ and e2e/ are harnesses, not product code: they arrange states no product call
  // writes (an expired token, a failing trigger, a million seeded rows), count rows the product never reads, EXPLAIN
  // the product's statements, and stub their own env. next.config.js, instrumentation.ts (NEXT_RUNTIME) and
  // proxy.ts (NODE_ENV) read Next's own switches, before or beside our config.
  {
    files: PRODUCT_CODE,
    ignores: [...TESTS, "lib/db/**", "lib/config/**"],
    rules: { "no-restricted-properties": ["error", ...RAW_SQL, PROCESS_ENV] },
  },
  {
    files: ["lib/db/**/*.{ts,tsx}"],
    ignores: TESTS,
    rules: { "no-restricted-properties": ["error", PROCESS_ENV] },
  },
  {
    files: ["lib/config/**/*.{ts,tsx}"],
    ignores: TESTS,
    rules: { "no-restricted-properties": ["error", ...RAW_SQL] },
  },
  {
    // Server code logs through lib/log (pino: levels, JSON lines, operation ids). scripts/ are CLIs whose
    // console output is their interface (token:create prints only the token on stdout); tests may print.
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}"],
    ignores: ["**/*.test.{ts,tsx}"],
    rules: { "no-console": "error" },
  },
  {
    files: OUR_FOLDERS,
    plugins: { local: importSpelling },
    rules: { "local/import-spelling": "error" },
  },
);

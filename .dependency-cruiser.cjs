// The layer rules of ARCHITECTURE.md ("one direction only"), checked by `npm run lint:deps` in `npm test`.
// Paths are relative to the repository root; `@/…` imports are resolved through tsconfig.json.

/** The folders of our own code, as opposed to npm packages and Node built-ins. */
const OURS = "^(app|components|lib|test|scripts|bench|e2e|prisma)/";

/** A test file beside its module. */
const TEST_FILE = "\\.test\\.tsx?$";

/** test/ helpers, which a leaf's tests may use (the rule below keeps the leaf modules themselves off them). */
const TEST_HELPERS_FOR_TESTS = "^test/";

/** Provisioner sub-packages that do I/O (Docker, registry HTTP, the database). */
const PROVISIONER_IO = "^lib/provisioner/(docker|registry|swap|reprovision|sync|live-state)/";

/** Packages that talk to Docker or a database; only server-side lib code may use them. */
const IO_PACKAGES = "^node_modules/(dockerode|docker-modem|pg|@prisma|@electric-sql|pglite-prisma-adapter)/";

/** Node built-ins that reach the file system, the network or other processes. */
const IO_BUILTINS =
  "^(node:)?(fs|fs/promises|net|http|https|http2|tls|dgram|dns|child_process|worker_threads|cluster)$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment:
        "Modules that import each other in a circle (type-only imports count: they tie the designs together too).",
      from: {},
      to: { circular: true },
    },
    {
      name: "domain-is-a-leaf",
      severity: "error",
      comment:
        "lib/domain is the shared pure vocabulary: it imports nothing else of ours (its tests may use test/ helpers).",
      from: { path: "^lib/domain/" },
      to: { path: OURS, pathNot: ["^lib/domain/", TEST_HELPERS_FOR_TESTS] },
    },
    {
      name: "util-is-a-leaf",
      severity: "error",
      comment: "lib/util holds generic helpers: they import nothing else of ours (their tests may use test/ helpers).",
      from: { path: "^lib/util/" },
      to: { path: OURS, pathNot: ["^lib/util/", TEST_HELPERS_FOR_TESTS] },
    },
    {
      name: "leaf-code-imports-no-test-helpers",
      severity: "error",
      comment: "Only the tests of lib/domain and lib/util may use test/ helpers, never the modules themselves.",
      from: { path: "^lib/(domain|util)/", pathNot: TEST_FILE },
      to: { path: "^test/" },
    },
    {
      name: "leaves-do-no-io",
      severity: "error",
      comment: "lib/domain and lib/util are pure: no server-only, no file system, network or database.",
      from: { path: "^lib/(domain|util)/", pathNot: TEST_FILE },
      to: { path: ["^node_modules/server-only/", IO_PACKAGES, IO_BUILTINS] },
    },
    {
      name: "db-imports-only-domain-util-generated",
      severity: "error",
      comment:
        "lib/db is below every other folder of lib: it may import the leaf (lib/domain, lib/util), the process foundations (lib/config, lib/log) and the generated Prisma client only.",
      from: { path: "^lib/db/" },
      to: { path: "^(lib|app|components)/", pathNot: "^lib/(db|domain|util|config|log|generated)/" },
    },
    {
      name: "config-and-log-are-foundations",
      severity: "error",
      comment:
        "lib/config reads the environment once and lib/log writes lines: both sit just above the leaf and import nothing else of ours.",
      from: { path: "^lib/(config|log)/", pathNot: "\\.test\\.ts$" },
      to: { path: "^(lib|app|components)/", pathNot: "^lib/(config|log|domain|util)/" },
    },
    {
      name: "lib-never-imports-ui",
      severity: "error",
      comment: "lib/ serves app/ and components/, never the other way round.",
      from: { path: "^lib/" },
      to: { path: "^(app|components)/" },
    },
    {
      name: "components-stay-dumb",
      severity: "error",
      comment:
        "components/ are shared UI: of ours they may import only components/, lib/domain, lib/util, lib/schemas " +
        "and the pure provisioner folders (images/, containers/); never lib/db, provisioner I/O or the server-side libraries.",
      from: { path: "^components/" },
      to: {
        path: OURS,
        pathNot: "^(components/|lib/(domain|util|schemas)/|lib/provisioner/(images|containers)/)",
      },
    },
    {
      name: "components-no-io-packages",
      severity: "error",
      comment: "components/ never use dockerode, pg, Prisma or PGlite, nor Node's I/O built-ins.",
      from: { path: "^components/" },
      to: { path: [IO_PACKAGES, IO_BUILTINS] },
    },
    {
      name: "pure-provisioner-does-no-io",
      severity: "error",
      comment:
        "lib/provisioner/images and lib/provisioner/containers hold pure rules (table-tested): no server-only, no " +
        "file system or network, no database, no Docker or registry client.",
      from: { path: "^lib/provisioner/(images|containers)/", pathNot: TEST_FILE },
      to: {
        path: ["^node_modules/server-only/", IO_PACKAGES, IO_BUILTINS, "^lib/db/", PROVISIONER_IO, "^lib/generated/"],
      },
    },
  ],
  options: {
    doNotFollow: { path: ["node_modules", "^lib/generated/"] },
    exclude: { path: ["^\\.next/", "^test-reports/", "^test-results/"] },
    // Type-only imports are dependencies too: a cycle through types still ties two designs together.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".d.ts", ".js", ".mjs", ".cjs", ".json"],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};

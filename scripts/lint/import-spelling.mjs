// ESLint rule `local/import-spelling`: one spelling per import. A module in the same folder is `./name`;
// anything else of ours is `@/path` (never `../x`, never `./sub/x`, never `@/` for a sibling), so a
// file reads the same wherever it is and moving a folder changes only the imports that cross it.
// Autofixed by `eslint --fix`.
import path from "node:path";

/** The one accepted spelling of `source` imported from `filename`, or null when it is already right. */
export function preferredSpelling(source, filename, root) {
  const folder = path.dirname(filename);
  let target;
  if (source.startsWith("@/")) target = path.join(root, source.slice(2));
  else if (source === "." || source === ".." || source.startsWith("./") || source.startsWith("../")) {
    target = path.resolve(folder, source);
  } else return null;
  if (path.dirname(target) === folder) {
    const sibling = `./${path.basename(target)}`;
    return source === sibling ? null : sibling;
  }
  const fromRoot = path.relative(root, target);
  if (fromRoot.startsWith("..") || path.isAbsolute(fromRoot)) return null;
  const aliased = `@/${fromRoot.split(path.sep).join("/")}`;
  return source === aliased ? null : aliased;
}

/** @type {import("eslint").Rule.RuleModule} */
export const importSpelling = {
  meta: {
    type: "suggestion",
    fixable: "code",
    docs: { description: "Siblings are imported as ./name, everything else of ours as @/path." },
    messages: { respell: 'Import "{{source}}" as "{{preferred}}".' },
    schema: [],
  },
  create(context) {
    const root = context.cwd;
    function check(node) {
      const literal = node.source;
      if (!literal || literal.type !== "Literal" || typeof literal.value !== "string") return;
      const preferred = preferredSpelling(literal.value, context.filename, root);
      if (preferred === null) return;
      context.report({
        node: literal,
        messageId: "respell",
        data: { source: literal.value, preferred },
        fix: (fixer) => fixer.replaceText(literal, JSON.stringify(preferred)),
      });
    }
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { "import-spelling": importSpelling } };

import type { ESLint, Rule } from "eslint";

/** The one accepted spelling of `source` imported from `filename`, or null when it is already right. */
export function preferredSpelling(source: string, filename: string, root: string): string | null;

export const importSpelling: Rule.RuleModule;

declare const plugin: ESLint.Plugin;
export default plugin;

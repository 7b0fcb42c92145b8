// What scripts/e2e.sh hands the browser tests: accounts, services, namespaces.
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the browser tests through \`npm test\` or scripts/e2e.sh`);
  return value;
}

export type Role = "operator" | "viewer";

export const e2eEnv = {
  account(role: Role): { email: string; password: string } {
    const prefix = role === "operator" ? "E2E_OPERATOR" : "E2E_VIEWER";
    return { email: required(`${prefix}_EMAIL`), password: required(`${prefix}_PASSWORD`) };
  },
  get registryHost(): string {
    return required("TEST_REGISTRY_HOST");
  },
  /** MOLECULE_IMAGE_REGISTRY of the app under test: `<registry host>/<namespace>`. */
  get imageRegistryPrefix(): string {
    return required("MOLECULE_IMAGE_REGISTRY");
  },
  /** Repository path below the registry host, e.g. `e2e-1a2b/workspace-template-hermes`. */
  templateRepository(template: string): string {
    const prefix = required("MOLECULE_IMAGE_REGISTRY");
    return `${prefix.slice(prefix.indexOf("/") + 1)}/workspace-template-${template}`;
  },
  get databaseUrl(): string {
    return required("DATABASE_URL");
  },
};

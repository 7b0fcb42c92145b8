import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

export type ScriptRun = { code: number | null; stdout: string; stderr: string };

/**
 * Runs `npm run <script> -- …args` exactly as package.json spells it, minus npm itself (so stdout
 * is the script's alone). The database comes from `env` only: DATABASE_URL and FLEETPIN_DATA_DIR
 * of the test process are not inherited. Killed after `timeoutMs`.
 */
export async function runNpmScript(
  script: string,
  args: string[],
  env: Record<string, string>,
  options: { stdin?: string; timeoutMs?: number } = {},
): Promise<ScriptRun> {
  const pkg = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const [bin, ...scriptArgs] = pkg.scripts[script]!.split(" ");
  const { DATABASE_URL: _url, FLEETPIN_DATA_DIR: _dir, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, "node_modules", ".bin", bin!), [...scriptArgs, ...args], {
      cwd: ROOT,
      env: { ...inherited, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? "");
  });
}

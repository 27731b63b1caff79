/**
 * A local npm registry (Verdaccio) for the real `npm init flyte-task` and `pnpm create
 * flyte-task` paths: Verdaccio and pnpm are installed under .cache/package-managers the first
 * time a test asks for them; the registry starts on a free port with its own storage and no
 * uplink, so nothing it serves comes from the public registry.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "./python-env.js";

const DIR = join(REPO_ROOT, ".cache", "package-managers");
// node-fetch is overridden: a dependency of Verdaccio 6.8 asks for the tag node-fetch@cjs,
// which the registry reachable here does not serve.
const MANIFEST = join(import.meta.dirname, "package-managers", "package.json");

/** pnpm, installed beside Verdaccio, for `pnpm create flyte-task`. */
export const PNPM = join(DIR, "node_modules", ".bin", "pnpm");

export interface Registry {
  readonly url: string;
  /** npm settings that use only this registry, with a fresh cache and no user config. */
  readonly env: NodeJS.ProcessEnv;
  stop(): void;
}

function ensurePackageManagers(log: (line: string) => void): string {
  const bin = join(DIR, "node_modules", "verdaccio", "bin", "verdaccio");
  const stamp = join(DIR, "create-flyte-task-package.json");
  const wanted = readFileSync(MANIFEST, "utf8");
  if (existsSync(bin) && existsSync(PNPM) && existsSync(stamp) && readFileSync(stamp, "utf8") === wanted) return bin;
  log(`installing Verdaccio and pnpm into ${DIR} (first run only)`);
  cpSync(MANIFEST, join(DIR, "package.json"));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock"], { cwd: DIR, stdio: "inherit" });
  writeFileSync(stamp, wanted);
  return bin;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitForPing(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt++) {
    if (child.exitCode !== null) throw new Error(`Verdaccio exited (${child.exitCode}):\n${output()}`);
    try {
      if ((await fetch(`${url}-/ping`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Verdaccio did not answer at ${url} within 30 s:\n${output()}`);
}

/** Starts a registry with one user, whose token the returned env carries for `npm publish`. */
export async function startRegistry(log: (line: string) => void = () => {}): Promise<Registry> {
  const bin = ensurePackageManagers(log);
  const home = mkdtempSync(join(tmpdir(), "cft-registry-"));
  const config = join(home, "config.yaml");
  writeFileSync(
    config,
    [
      `storage: ${join(home, "storage")}`,
      "auth:",
      "  htpasswd:",
      `    file: ${join(home, "htpasswd")}`,
      "packages:",
      "  '**':",
      "    access: $all",
      "    publish: $authenticated",
      "log: { type: stdout, format: pretty, level: warn }",
      "",
    ].join("\n"),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const child = spawn(process.execPath, [bin, "-c", config, "-l", `127.0.0.1:${port}`], { cwd: home, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  await waitForPing(url, child, () => output);
  const response = await fetch(`${url}-/user/org.couchdb.user:ci`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "ci", password: "a password for this test only" }),
  });
  const { token } = (await response.json()) as { token?: string };
  if (token === undefined) throw new Error(`Verdaccio made no user (${response.status})`);
  const userconfig = join(home, "npmrc");
  writeFileSync(userconfig, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
  // pnpm reads the same npm settings; its store and caches go to this registry's folder too.
  const env = {
    npm_config_userconfig: userconfig,
    npm_config_registry: url,
    npm_config_cache: join(home, "npm-cache"),
    npm_config_update_notifier: "false",
    XDG_CACHE_HOME: join(home, "xdg-cache"),
    XDG_DATA_HOME: join(home, "xdg-data"),
    XDG_STATE_HOME: join(home, "xdg-state"),
    XDG_CONFIG_HOME: join(home, "xdg-config"),
  };
  return { url, env, stop: () => child.kill() };
}

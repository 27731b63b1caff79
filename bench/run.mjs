#!/usr/bin/env node
/**
 * The benchmark for create-flyte-task: `npm run bench` (builds first) or `node bench/run.mjs`.
 *
 * Every case runs as a whole child process (spawn, start-up and exit included), because that is
 * what a user waits for. Each case gets one warm-up run (discarded: it fills the OS file cache)
 * and then RUNS timed runs; cases that are compared with each other run interleaved
 * (A B C A B C ...) so that a slow moment of the machine does not land on one side only.
 *
 * Prints a table to stdout (progress goes to stderr), and writes bench/results/latest.json and
 * bench/results/latest.md (the same table as Markdown).
 *
 * Flags: --quick       3 runs per case and no footprint section (for iteration)
 *        --refresh-peers  reinstall create-vite@latest into .cache/bench-peers
 *        --poll-memory    measure peak memory by polling /proc/<pid>/status even if /usr/bin/time exists
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CREATE_BIN = path.join(ROOT, "bin", "create-flyte-task.js");
const TASK_BIN = path.join(ROOT, "bin", "flyte-task.js");
const RESULTS_DIR = path.join(ROOT, "bench", "results");
// .cache/ is gitignored; the peers stay there between runs so `npm run bench` needs no network for them.
const PEERS_DIR = path.join(ROOT, ".cache", "bench-peers");
const CHILD_TIMEOUT_MS = 120_000;
const NODE = process.execPath; // the same node runs the tool and every peer
const MB = 1e6; // decimal megabytes throughout (stricter than MiB against the targets)

const FLAGS = new Set(process.argv.slice(2));
for (const flag of FLAGS) {
  if (!["--quick", "--refresh-peers", "--poll-memory"].includes(flag)) {
    console.error(`unknown flag ${flag}; use --quick, --refresh-peers or --poll-memory`);
    process.exit(2);
  }
}
const QUICK = FLAGS.has("--quick");
const RUNS_SHORT = QUICK ? 3 : 7; // for cases of a few hundred milliseconds or less: noisier, and cheap
const RUNS_LONG = QUICK ? 3 : 5;
const MEMORY_METHOD = !FLAGS.has("--poll-memory") && existsSync("/usr/bin/time") ? "/usr/bin/time -f %M" : "/proc/<pid>/status VmHWM polled every 2 ms";

// ---------------------------------------------------------------- children

/**
 * The environment for every child. `npm run bench` adds npm_* variables (npm_config_local_prefix,
 * npm_config_user_agent, npm_lifecycle_*, ...) that would make a child npm treat /work/main as its
 * project and make create-vite pick its package manager from them; the user's .npmrc is still read.
 */
function childEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.toLowerCase().startsWith("npm_") || key === "INIT_CWD") continue;
    env[key] = value;
  }
  return env;
}
const CHILD_ENV = childEnv();

function spawnOptions(cwd) {
  // stdin is closed so that nothing can ever wait for an answer; the timeout kills a hung child.
  return { cwd, env: CHILD_ENV, stdio: ["ignore", "pipe", "pipe"], timeout: CHILD_TIMEOUT_MS, killSignal: "SIGKILL", maxBuffer: 64 * MB, encoding: "utf8" };
}

function describe({ cmd, args }) {
  return [cmd, ...args].join(" ").slice(0, 300);
}

function assertSucceeded(result, spec) {
  if (result.error) throw new Error(`${describe(spec)}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${describe(spec)} exited ${result.status ?? result.signal}\n${result.stdout ?? ""}${result.stderr ?? ""}`.trimEnd());
  }
}

/** Runs a command once (untimed); fails on a non-zero exit. */
function run(spec) {
  const result = spawnSync(spec.cmd, spec.args, spawnOptions(spec.cwd));
  assertSucceeded(result, spec);
  return result.stdout;
}

/** Wall time of one child process, in milliseconds. */
function timeOnce(spec) {
  const start = process.hrtime.bigint();
  const result = spawnSync(spec.cmd, spec.args, spawnOptions(spec.cwd));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  assertSucceeded(result, spec);
  return ms;
}

/** Peak resident set size of one child process, in MB. */
async function peakMemoryOnce(spec) {
  return MEMORY_METHOD.startsWith("/usr/bin/time") ? byTime(spec).peakMB : peakByPolling(spec);
}

/** CPU time (user + system, the child and its own children) of one child process, in milliseconds. */
function cpuOnce(spec) {
  if (!existsSync("/usr/bin/time")) throw new Error("CPU time needs /usr/bin/time (apt-get install time)");
  return byTime(spec).cpuMs;
}

/** One run under /usr/bin/time: peak memory and CPU time. */
function byTime(spec) {
  // -o keeps the figures out of the child's own stderr.
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), "flyte-bench-time-")), "usage");
  try {
    const wrapped = { ...spec, cmd: "/usr/bin/time", args: ["-f", "%M %U %S", "-o", out, spec.cmd, ...spec.args] };
    assertSucceeded(spawnSync(wrapped.cmd, wrapped.args, spawnOptions(spec.cwd)), spec);
    const [kilobytes, user, system] = readFileSync(out, "utf8").trim().split("\n").at(-1).split(" ").map(Number);
    return { peakMB: (kilobytes * 1024) / MB, cpuMs: (user + system) * 1000 };
  } finally {
    rmSync(path.dirname(out), { recursive: true, force: true });
  }
}

/** Fallback without /usr/bin/time: VmHWM is a high-water mark, so polling misses at most the last 2 ms. */
async function peakByPolling(spec) {
  const child = spawn(spec.cmd, spec.args, { cwd: spec.cwd, env: CHILD_ENV, stdio: "ignore" });
  let peakKb = 0;
  const poll = () => {
    try {
      const match = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
      if (match) peakKb = Math.max(peakKb, Number(match[1]));
    } catch {
      // the process is gone between two polls
    }
  };
  const poller = setInterval(poll, 2);
  const killer = setTimeout(() => child.kill("SIGKILL"), CHILD_TIMEOUT_MS);
  const [code, signal] = await new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (c, s) => resolve([c, s]));
  });
  clearInterval(poller);
  clearTimeout(killer);
  if (code !== 0) throw new Error(`${describe(spec)} exited ${code ?? signal}`);
  return (peakKb * 1024) / MB;
}

// ---------------------------------------------------------------- statistics

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function summarize(samples) {
  if (samples.length === 0) return { median: null, min: null, max: null, runs: 0, samples };
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), runs: samples.length, samples };
}

// ---------------------------------------------------------------- cases

/**
 * A case: { id, group, label, unit, metric: "time" | "memory", command(ctx), prepare?(), verify?(ctx),
 * cleanup?(ctx), ratios?: [{ to, label }], targets?: [...] }. prepare, verify and cleanup run
 * outside the timed region.
 */
async function sampleOnce(c) {
  const ctx = c.prepare ? c.prepare() : {};
  try {
    const spec = c.command(ctx);
    const value = c.metric === "memory" ? await peakMemoryOnce(spec) : c.metric === "cpu" ? cpuOnce(spec) : timeOnce(spec);
    c.verify?.(ctx);
    return value;
  } finally {
    c.cleanup?.(ctx);
  }
}

/**
 * One warm-up of each case, then `runs` rounds over all of them, interleaved. A case that fails
 * (non-zero exit, timeout, wrong output) is dropped from later rounds and reported as an error,
 * so that one broken command does not hide every other figure.
 */
async function measureGroup(cases, runs) {
  const samples = new Map(cases.map((c) => [c.id, []]));
  const errors = new Map();
  const attempt = async (c, note) => {
    if (errors.has(c.id)) return;
    progress(`${note.padEnd(8)} ${c.label}`);
    try {
      const value = await sampleOnce(c);
      if (note !== "warm-up") samples.get(c.id).push(value);
    } catch (error) {
      errors.set(c.id, error.message);
      progress(`FAILED   ${c.label}: ${error.message.split("\n").slice(0, 3).join(" | ")}`);
    }
  };
  for (const c of cases) await attempt(c, "warm-up");
  for (let round = 1; round <= runs; round++) {
    for (const c of cases) await attempt(c, `${round}/${runs}`);
  }
  return cases.map((c) => ({ ...c, ...summarize(samples.get(c.id)), error: errors.get(c.id) }));
}

function progress(line) {
  process.stderr.write(`  ${line}\n`);
}

// Work folders live in the OS temp folder and are removed at the end.
const WORK = mkdtempSync(path.join(os.tmpdir(), "flyte-bench-"));
let folderCount = 0;
function freshFolder(prefix) {
  const dir = path.join(WORK, `${prefix}-${++folderCount}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}
function removeFolder(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/** n field flags, cycling through every field type and every default form (value, none, absent). */
function fieldFlags(n) {
  const forms = ["int=0", "str=hello", "float=1.5", "bool=false", 'list[str]=["a","b"]', 'dict[str,int]={"a":1}', "str=none", "int", "list[float]=[]", "dict[str,str]={}"];
  return Array.from({ length: n }, (_, i) => ["--field", `f${i}:${forms[i % forms.length]}`]).flat();
}

function scaffoldSpec(cwd, directory, fields) {
  return { cmd: NODE, args: [CREATE_BIN, directory, "--yes", "--no-git", ...fieldFlags(fields)], cwd };
}

function assertExists(file) {
  if (!existsSync(file)) throw new Error(`expected ${file} to exist after the run`);
}

// ---------------------------------------------------------------- peers

/** create-vite, installed once into .cache/bench-peers (reused between runs unless --refresh-peers). */
function ensureCreateVite() {
  const packageDir = path.join(PEERS_DIR, "node_modules", "create-vite");
  if (FLAGS.has("--refresh-peers") || !existsSync(packageDir)) {
    progress("installing create-vite@latest into .cache/bench-peers");
    removeFolder(PEERS_DIR);
    mkdirSync(PEERS_DIR, { recursive: true });
    run({ cmd: "npm", args: ["init", "-y"], cwd: PEERS_DIR });
    run({ cmd: "npm", args: ["install", "create-vite@latest", "--no-audit", "--no-fund"], cwd: PEERS_DIR });
  }
  return binOf(packageDir, "create-vite");
}

/** The bin script of an installed package, and its version. */
function binOf(packageDir, name) {
  const manifest = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8"));
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin[name];
  return { script: path.join(packageDir, bin), version: manifest.version };
}

/**
 * copier, the scaffolder a Python plugin author would reach for, installed once into
 * .cache/bench-venv, and a copier template of the very files create-flyte-task writes for the
 * same answers: the tool's own output, each file a Jinja template in which the plugin's name
 * and the names derived from it are variables. null (and copier rows left out) when pip fails.
 */
function ensureCopier() {
  const venv = path.join(ROOT, ".cache", "bench-venv");
  const bin = path.join(venv, "bin", "copier");
  try {
    if (FLAGS.has("--refresh-peers") || !existsSync(bin)) {
      progress("installing copier into .cache/bench-venv");
      run({ cmd: process.env.PYTHON ?? "python3", args: ["-m", "venv", venv], cwd: ROOT });
      run({ cmd: path.join(venv, "bin", "python"), args: ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "copier"], cwd: ROOT });
    }
    const version = run({ cmd: bin, args: ["--version"], cwd: WORK }).trim().split(/\s+/).at(-1);
    return { bin, version, template: copierTemplate() };
  } catch (error) {
    progress(`copier unavailable, its rows are left out: ${error.message.split("\n")[0]}`);
    return null;
  }
}

/** Jinja text for a file of the plugin: literal runs kept raw, the plugin's names as variables. */
function jinjaOf(text) {
  const names = [["bench-plugin", "{{ name }}"], ["bench_plugin", "{{ module }}"], ["BenchPlugin", "{{ class_prefix }}"]];
  const pattern = new RegExp(names.map(([literal]) => literal).join("|"), "g");
  const parts = text.split(pattern);
  const found = text.match(pattern) ?? [];
  const raw = (part) => (part === "" ? "" : `{% raw %}${part}{% endraw %}`);
  return parts.map((part, i) => raw(part) + (i < found.length ? names.find(([literal]) => literal === found[i])[1] : "")).join("");
}

function copierTemplate() {
  const source = freshFolder("copier-source");
  run(scaffoldSpec(source, "bench-plugin", SCAFFOLD_FIELDS));
  const plugin = path.join(source, "bench-plugin");
  const template = freshFolder("copier-template");
  writeFileSync(
    path.join(template, "copier.yml"),
    [
      "name:",
      "  type: str",
      "  default: bench-plugin",
      "module:",
      "  type: str",
      "  default: \"{{ name | replace('-', '_') }}\"",
      "  when: false",
      "class_prefix:",
      "  type: str",
      "  default: \"{{ name.split('-') | map('capitalize') | join('') }}\"",
      "  when: false",
      "_templates_suffix: .jinja",
      "",
    ].join("\n"),
  );
  for (const entry of readdirSync(plugin, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())) {
    const relative = path.relative(plugin, path.join(entry.parentPath, entry.name));
    const target = path.join(template, relative.replaceAll("bench_plugin", "{{ module }}") + ".jinja");
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, jinjaOf(readFileSync(path.join(plugin, relative), "utf8")));
  }
  return template;
}

// ---------------------------------------------------------------- sections

async function startupCases(vite) {
  const spec = (script, flag) => () => ({ cmd: NODE, args: [script, flag], cwd: WORK });
  const vsVite = [{ to: "startup.vite.help", label: "create-vite --help" }];
  const target = [{ kind: "max", value: 150, text: "≤ 150 ms" }];
  return measureGroup(
    [
      { id: "startup.create.version", label: "create-flyte-task --version", command: spec(CREATE_BIN, "--version"), ratios: vsVite, targets: target },
      { id: "startup.create.help", label: "create-flyte-task --help", command: spec(CREATE_BIN, "--help"), ratios: vsVite, targets: target },
      { id: "startup.task.version", label: "flyte-task --version", command: spec(TASK_BIN, "--version"), ratios: vsVite, targets: target },
      { id: "startup.task.help", label: "flyte-task --help", command: spec(TASK_BIN, "--help"), ratios: vsVite, targets: target },
      { id: "startup.vite.help", label: "create-vite --help (peer)", command: spec(vite.script, "--help") },
      // What any Node CLI pays before its first line runs: the floor for the rows above.
      { id: "startup.node", label: "node -e 0 (baseline)", command: () => ({ cmd: NODE, args: ["-e", "0"], cwd: WORK }) },
    ].map((c) => ({ ...c, group: "start-up", unit: "ms", metric: "time" })),
    RUNS_SHORT,
  );
}

/** The plugin every scaffolder writes: 4 fields, the size the copier template is made for. */
const SCAFFOLD_FIELDS = 4;

/** The scaffolders write a relative directory inside an empty folder (create-vite needs it relative). */
function scaffoldCase(vite, copier) {
  const tool = {
    label: `create-flyte-task, ${SCAFFOLD_FIELDS} fields, --yes --no-git`,
    prepare: () => ({ cwd: freshFolder("scaffold") }),
    command: ({ cwd }) => scaffoldSpec(cwd, "bench-plugin", SCAFFOLD_FIELDS),
    verify: ({ cwd }) => assertExists(path.join(cwd, "bench-plugin", "flytekitplugins", "bench_plugin", "config.py")),
    cleanup: ({ cwd }) => removeFolder(cwd),
  };
  const peer = {
    label: "create-vite --template vanilla-ts (peer)",
    prepare: () => ({ cwd: freshFolder("vite") }),
    command: ({ cwd }) => ({ cmd: NODE, args: [vite.script, "app", "--template", "vanilla-ts", "--no-interactive", "--no-immediate"], cwd }),
    verify: ({ cwd }) => assertExists(path.join(cwd, "app", "package.json")),
    cleanup: ({ cwd }) => removeFolder(cwd),
  };
  const copierPeer = copier && {
    label: `copier ${copier.version} copy --defaults, the same files (peer)`,
    prepare: () => ({ cwd: freshFolder("copier") }),
    command: ({ cwd }) => ({ cmd: copier.bin, args: ["copy", "--defaults", "--quiet", copier.template, "bench-plugin"], cwd }),
    verify: ({ cwd }) => assertExists(path.join(cwd, "bench-plugin", "flytekitplugins", "bench_plugin", "config.py")),
    cleanup: ({ cwd }) => removeFolder(cwd),
  };
  return { tool, peer, copierPeer };
}

async function scaffoldCases(vite, copier) {
  const { tool, peer, copierPeer } = scaffoldCase(vite, copier);
  const time = await measureGroup(
    [
      {
        ...tool,
        id: "scaffold.create",
        ratios: [{ to: "scaffold.vite", label: "create-vite" }, { to: "scaffold.copier", label: "copier" }],
        targets: [{ kind: "ratio", to: "scaffold.copier", value: 1, text: "≤ 1.0× copier" }, { kind: "ratio", to: "scaffold.vite", value: 5, text: "≤ 5× create-vite" }],
      },
      { ...peer, id: "scaffold.vite" },
      ...(copierPeer ? [{ ...copierPeer, id: "scaffold.copier" }] : []),
    ].map((c) => ({ ...c, group: "scaffold", unit: "ms", metric: "time" })),
    RUNS_SHORT,
  );
  if (!copierPeer) return time;
  const cpu = await measureGroup(
    [
      { ...tool, id: "cpu.create", label: `CPU: ${tool.label}`, ratios: [{ to: "cpu.copier", label: "copier" }], targets: [{ kind: "ratio", to: "cpu.copier", value: 1, text: "≤ copier's CPU" }] },
      { ...copierPeer, id: "cpu.copier", label: `CPU: ${copierPeer.label}` },
    ].map((c) => ({ ...c, group: "scaffold", unit: "ms", metric: "cpu" })),
    RUNS_SHORT,
  );
  return [...time, ...cpu];
}

/**
 * Pristine plugins of 5, 50 and 200 fields, made once (untimed); the cases copy or read them.
 * A fixture that cannot be made is left missing, and the cases using it fail through pluginAt.
 */
function makeFixtures(sizes) {
  const fixtures = new Map();
  const parent = freshFolder("fixtures");
  for (const n of sizes) {
    progress(`making a ${n}-field plugin`);
    try {
      run(scaffoldSpec(parent, `fields-${n}`, n));
    } catch (error) {
      progress(`FAILED   making the ${n}-field plugin: ${error.message.split("\n").slice(0, 3).join(" | ")}`);
    }
    fixtures.set(n, path.join(parent, `fields-${n}`));
  }
  return fixtures;
}

/** The fixture's folder, or a clear error when its scaffold failed. */
function pluginAt(dir) {
  if (!existsSync(path.join(dir, "flyte-task.config.ts"))) throw new Error(`no plugin in ${dir}: making it failed (see above)`);
  return dir;
}

const ADDED_FIELD = "bench_added";

/** Adds one field as a user would: a line right after `fields: {` in flyte-task.config.ts. */
function addOneField(pluginDir) {
  const file = path.join(pluginDir, "flyte-task.config.ts");
  const text = readFileSync(file, "utf8");
  const edited = text.replace(/^(\s*)fields: \{\n/m, (line, indent) => `${line}${indent}  ${ADDED_FIELD}: { type: "int", default: 7 },\n`);
  if (edited === text) throw new Error(`no "fields: {" line in ${file}`);
  writeFileSync(file, edited);
}

function configPyOf(pluginDir) {
  const modules = readdirSync(path.join(pluginDir, "flytekitplugins"));
  return path.join(pluginDir, "flytekitplugins", modules[0], "config.py");
}

function noopRegenerateCase(n, dir) {
  return { id: `regenerate.noop.${n}`, label: `regenerate, no-op, ${n} fields`, command: () => ({ cmd: NODE, args: [TASK_BIN, "regenerate", "-C", pluginAt(dir)], cwd: WORK }) };
}

function addFieldRegenerateCase(n, dir) {
  return {
    id: `regenerate.add1.${n}`,
    label: `regenerate, one field added, ${n} fields`,
    // A fresh copy per run, because the timed run changes it.
    prepare: () => {
      const copy = path.join(freshFolder(`add1-${n}`), "plugin");
      cpSync(pluginAt(dir), copy, { recursive: true });
      addOneField(copy);
      return { copy };
    },
    command: ({ copy }) => ({ cmd: NODE, args: [TASK_BIN, "regenerate", "-C", copy], cwd: WORK }),
    verify: ({ copy }) => {
      if (!readFileSync(configPyOf(copy), "utf8").includes(ADDED_FIELD)) throw new Error(`regenerate did not add ${ADDED_FIELD} in ${copy}`);
    },
    cleanup: ({ copy }) => removeFolder(path.dirname(copy)),
  };
}

function checkCase(n, dir) {
  // exit 0 means in sync; a 1 would mean the fixture drifted, and the run fails.
  return { id: `check.${n}`, label: `check, in sync, ${n} fields`, command: () => ({ cmd: NODE, args: [TASK_BIN, "check", "-C", pluginAt(dir)], cwd: WORK }) };
}

/** Each family (no-op, one field added, check) runs its three sizes interleaved; 200 is compared with 5. */
async function regenerateCases(fixtures) {
  const families = [
    { make: noopRegenerateCase, prefix: "regenerate.noop", absolute: [{ kind: "max", value: 1000, text: "≤ 1000 ms" }], scaling: 2 },
    { make: addFieldRegenerateCase, prefix: "regenerate.add1", absolute: [], scaling: 1.5 },
    { make: checkCase, prefix: "check", absolute: [], scaling: 2 },
  ];
  const results = [];
  for (const family of families) {
    const cases = [...fixtures].map(([n, dir]) => {
      const c = family.make(n, dir);
      const vsSmallest = n === 200 ? { ratios: [{ to: `${family.prefix}.5`, label: "5 fields" }], scaling: [{ kind: "ratio", to: `${family.prefix}.5`, value: family.scaling, text: `≤ ${family.scaling}× 5 fields` }] } : { ratios: [], scaling: [] };
      return { ...c, group: "regenerate", unit: "ms", metric: "time", ratios: vsSmallest.ratios, targets: [...family.absolute, ...vsSmallest.scaling] };
    });
    results.push(...(await measureGroup(cases, RUNS_LONG)));
  }
  return results;
}

async function memoryCases(vite, copier, fixtures) {
  const { tool, peer, copierPeer } = scaffoldCase(vite, copier);
  const dir200 = fixtures.get(200);
  const target = [{ kind: "max", value: 250, text: "≤ 250 MB" }];
  return measureGroup(
    [
      { ...tool, id: "memory.scaffold", label: `peak RSS: ${tool.label}`, ratios: [{ to: "memory.vite", label: "create-vite" }, { to: "memory.copier", label: "copier" }], targets: [{ kind: "max", value: 120, text: "≤ 120 MB" }] },
      { ...peer, id: "memory.vite", label: `peak RSS: ${peer.label}` },
      ...(copierPeer ? [{ ...copierPeer, id: "memory.copier", label: `peak RSS: ${copierPeer.label}` }] : []),
      { ...noopRegenerateCase(200, dir200), id: "memory.regenerate.noop.200", label: "peak RSS: regenerate, no-op, 200 fields", targets: target },
      { ...addFieldRegenerateCase(200, dir200), id: "memory.regenerate.add1.200", label: "peak RSS: regenerate, one field added, 200 fields", targets: target },
    ].map((c) => ({ ...c, group: "memory", unit: "MB", metric: "memory" })),
    RUNS_LONG,
  );
}

// ---------------------------------------------------------------- footprint

/** `npm pack` of the built tool into a temp folder; returns the tarball's path. */
function packTool() {
  const destination = freshFolder("pack");
  const out = run({ cmd: "npm", args: ["pack", "--pack-destination", destination, "--json"], cwd: ROOT });
  return path.join(destination, JSON.parse(out)[0].filename);
}

/** Installed packages: folders under node_modules (scoped and nested too) whose package.json has a name. */
function countPackages(nodeModules) {
  if (!existsSync(nodeModules)) return 0;
  let count = 0;
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue; // .bin, .package-lock.json
    const dir = path.join(nodeModules, entry.name);
    const packageDirs = entry.name.startsWith("@") ? readdirSync(dir).map((name) => path.join(dir, name)) : [dir];
    for (const packageDir of packageDirs) {
      if (hasNamedManifest(packageDir)) count++;
      count += countPackages(path.join(packageDir, "node_modules"));
    }
  }
  return count;
}

function hasNamedManifest(dir) {
  try {
    return Boolean(JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).name);
  } catch {
    return false;
  }
}

/** Bytes of the files themselves (`du -sb`), and bytes of the disk blocks they take (`du -sk`, what `du -sh` shows). */
function sizes(dir) {
  const du = (flag) => Number(run({ cmd: "du", args: [flag, dir], cwd: WORK }).split(/\s/)[0]);
  return { apparent: du("-sb"), onDisk: du("-sk") * 1024 };
}

/**
 * One install into an empty folder: `npm init -y` (untimed), then `npm install <spec>` timed.
 * The npm cache is used as it is, so these are warm-cache times; npm still asks the registry for metadata.
 */
function installOnce(spec, check) {
  const cwd = freshFolder("install");
  try {
    run({ cmd: "npm", args: ["init", "-y"], cwd });
    const ms = timeOnce({ cmd: "npm", args: ["install", spec, "--no-audit", "--no-fund"], cwd });
    check?.(cwd);
    const nodeModules = path.join(cwd, "node_modules");
    const { apparent, onDisk } = sizes(nodeModules);
    return { ms, megabytes: apparent / MB, diskMegabytes: onDisk / MB, packages: countPackages(nodeModules) };
  } finally {
    removeFolder(cwd);
  }
}

/** Like measureGroup, for one install: a warm-up, then RUNS_LONG installs; the first failure ends it. */
async function measureInstall(name, spec, check) {
  const samples = [];
  try {
    progress(`warm-up  npm install ${name}`);
    installOnce(spec, check);
    for (let round = 1; round <= RUNS_LONG; round++) {
      progress(`${`${round}/${RUNS_LONG}`.padEnd(8)} npm install ${name}`);
      samples.push(installOnce(spec, check));
    }
    return { name, samples };
  } catch (error) {
    progress(`FAILED   npm install ${name}: ${error.message.split("\n").slice(0, 3).join(" | ")}`);
    return { name, samples, error: error.message };
  }
}

/** Reads the installed version, and proves the packed tool runs from where npm put it. */
function installedVersion(cwd, name, versions) {
  versions[name] = JSON.parse(readFileSync(path.join(cwd, "node_modules", name, "package.json"), "utf8")).version;
  if (name === "create-flyte-task") {
    const printed = run({ cmd: NODE, args: [path.join(cwd, "node_modules", ".bin", "create-flyte-task"), "--version"], cwd }).trim();
    if (printed !== versions[name]) throw new Error(`installed create-flyte-task printed ${printed}`);
  }
}

async function footprintCases(versions) {
  let tarball;
  try {
    tarball = packTool();
  } catch (error) {
    tarball = path.join(WORK, "npm-pack-failed.tgz"); // the tool's installs then fail and say so
    progress(`FAILED   npm pack: ${error.message.split("\n")[0]}`);
  }
  const installs = [
    await measureInstall("create-flyte-task", tarball, (cwd) => installedVersion(cwd, "create-flyte-task", versions)),
    await measureInstall("create-vite", "create-vite", (cwd) => installedVersion(cwd, "create-vite", versions)),
    await measureInstall("generator-code", "generator-code", (cwd) => installedVersion(cwd, "generator-code", versions)),
  ];
  const rows = [];
  for (const { name, samples, error } of installs) {
    const isTool = name === "create-flyte-task";
    const peerRatios = (metric) => (isTool ? ["create-vite", "generator-code"].map((peer) => ({ to: `footprint.${peer}.${metric}`, label: peer })) : []);
    const label = isTool ? "create-flyte-task (npm pack tarball)" : `${name} (peer)`;
    const row = (metric, unit, title, values, targets) => ({
      id: `footprint.${name}.${metric}`,
      group: "footprint",
      label: `${title}: ${label}`,
      unit,
      ratios: peerRatios(metric),
      targets: isTool ? targets : [],
      ...summarize(values),
      error,
    });
    rows.push(
      row("install", "ms", "install time", samples.map((s) => s.ms), []),
      row("size", "MB", "installed size (du -sb)", samples.map((s) => s.megabytes), [{ kind: "max", value: 35, text: "≤ 35 MB" }]),
      // Small files take a whole block each, so this is larger; the reference figures were taken this way.
      row("disk", "MB", "on disk (du -sk)", samples.map((s) => s.diskMegabytes), [{ kind: "max", value: 35, text: "≤ 35 MB" }]),
      row("packages", "pkgs", "packages", samples.map((s) => s.packages), [{ kind: "max", value: 30, text: "≤ 30" }]),
    );
  }
  return rows;
}

// ---------------------------------------------------------------- verdicts and output

/** Fills in ratios and target verdicts; every target is judged on the median. */
function judge(rows) {
  const byId = new Map(rows.map((r) => [r.id, r]));
  // A ratio needs both medians; a case that errored fails its targets, a missing peer leaves them unjudged.
  const medianOf = (id) => byId.get(id)?.median ?? null;
  for (const row of rows) {
    row.ratios = (row.ratios ?? []).filter((r) => row.median !== null && medianOf(r.to) !== null).map((r) => ({ ...r, value: row.median / medianOf(r.to) }));
    row.targets = (row.targets ?? []).map((t) => {
      if (row.median === null) return { ...t, pass: false };
      if (t.kind === "max") return { ...t, pass: row.median <= t.value };
      if (medianOf(t.to) === null) return { ...t, pass: null };
      const actual = row.median / medianOf(t.to);
      return { ...t, actual, pass: actual <= t.value };
    });
    const verdicts = row.targets.map((t) => t.pass).filter((p) => p !== null);
    row.pass = row.error ? false : verdicts.length === 0 ? null : verdicts.every(Boolean);
  }
  return rows;
}

function formatValue(value, unit) {
  if (unit === "pkgs") return `${Math.round(value)}`;
  if (unit === "MB") return `${value.toFixed(1)} MB`;
  return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
}

function formatRange(row) {
  if (row.min === null) return "";
  const bare = (v) => formatValue(v, row.unit).replace(/ (ms|MB)$/, "");
  return row.min === row.max ? bare(row.min) : `${bare(row.min)}–${bare(row.max)}`;
}

function tableCells(row) {
  return [
    row.group,
    row.label,
    row.median === null ? "error" : formatValue(row.median, row.unit),
    formatRange(row),
    String(row.runs),
    row.ratios.map((r) => `${r.value.toFixed(r.value >= 10 ? 0 : 2)}× ${r.label}`).join(", ") || "",
    row.targets.map((t) => t.text).join("; ") || "",
    row.error ? "ERROR" : row.pass === null ? "" : row.pass ? "pass" : "FAIL",
  ];
}

const HEADER = ["group", "case", "median", "min–max", "runs", "ratio", "target", "result"];

function textTable(rows) {
  const lines = [HEADER, ...rows.map(tableCells)];
  const widths = HEADER.map((_, i) => Math.max(...lines.map((cells) => cells[i].length)));
  const render = (cells) => cells.map((cell, i) => (i >= 2 && i <= 4 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ").trimEnd();
  return [render(HEADER), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map((row) => render(tableCells(row)))].join("\n");
}

function markdownTable(rows) {
  const escape = (cell) => cell.replaceAll("|", "\\|");
  const render = (cells) => `| ${cells.map(escape).join(" | ")} |`;
  const align = "| --- | --- | ---: | ---: | ---: | --- | --- | --- |";
  return [render(HEADER), align, ...rows.map((row) => render(tableCells(row)))].join("\n");
}

function notes(meta) {
  return [
    `Machine: ${meta.cpus}× ${meta.cpuModel}, ${meta.os}, Node ${meta.node}, npm ${meta.npm}.`,
    `Tool ${meta.versions["create-flyte-task"]} at ${meta.commit}${meta.dirty ? " (uncommitted changes)" : ""}; create-vite ${meta.versions["create-vite"]}` +
      (meta.versions.copier ? `, copier ${meta.versions.copier}` : "") +
      (meta.versions["generator-code"] ? `, generator-code ${meta.versions["generator-code"]}.` : "."),
    `Times are whole child processes (hrtime around spawnSync), medians after one warm-up; peak memory by ${meta.memoryMethod}; MB = 10^6 bytes.`,
    meta.quick
      ? "Quick run (--quick): 3 runs per case, footprint skipped."
      : "Footprint: `npm install <spec> --no-audit --no-fund` into an empty folder after `npm init -y`; the npm cache was used as it is (not cleared), so install times are warm-cache times; size is `du -sb node_modules` (file bytes) and `du -sk` (disk blocks, as `du -sh` shows).",
  ];
}

function environment() {
  const git = (args) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" }).stdout?.trim() ?? "";
  return {
    date: new Date().toISOString(),
    node: process.versions.node,
    npm: run({ cmd: "npm", args: ["--version"], cwd: WORK }).trim(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGB: Math.round(os.totalmem() / 1e8) / 10,
    commit: git(["rev-parse", "--short", "HEAD"]) || "(no git checkout)",
    dirty: git(["status", "--porcelain", "--untracked-files=no"]) !== "",
    quick: QUICK,
    runs: { short: RUNS_SHORT, long: RUNS_LONG, warmUp: 1 },
    memoryMethod: MEMORY_METHOD,
    npmCache: "used as-is (not cleared)",
  };
}

function writeResults(meta, rows) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const json = {
    meta,
    summary: {
      targets: rows.flatMap((r) => r.targets).length,
      failed: rows.flatMap((r) => r.targets).filter((t) => t.pass === false).length,
      errors: rows.filter((r) => r.error).length,
    },
    cases: rows.map(({ id, group, label, unit, median: med, min, max, runs, samples, ratios, targets, pass, error }) => ({ id, group, label, unit, median: med, min, max, runs, samples, ratios, targets, pass, error: error ?? null })),
  };
  writeFileSync(path.join(RESULTS_DIR, "latest.json"), `${JSON.stringify(json, null, 2)}\n`);
  const markdown = `${markdownTable(rows)}\n\n${notes(meta).join("\n")}\n`;
  writeFileSync(path.join(RESULTS_DIR, "latest.md"), markdown);
  return { json, markdown };
}

// ---------------------------------------------------------------- main

async function main() {
  const meta = environment();
  const vite = ensureCreateVite();
  const copier = ensureCopier();
  meta.versions = { "create-flyte-task": JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version, "create-vite": vite.version, ...(copier ? { copier: copier.version } : {}) };

  const rows = [];
  progress("start-up");
  rows.push(...(await startupCases(vite)));
  progress("scaffold");
  rows.push(...(await scaffoldCases(vite, copier)));
  const fixtures = makeFixtures([5, 50, 200]);
  progress("regenerate and check");
  rows.push(...(await regenerateCases(fixtures)));
  progress(`memory (${MEMORY_METHOD})`);
  rows.push(...(await memoryCases(vite, copier, fixtures)));
  if (!QUICK) {
    progress("footprint (npm pack, then npm install into empty folders)");
    rows.push(...(await footprintCases(meta.versions)));
  }

  judge(rows);
  const { json, markdown } = writeResults(meta, rows);
  console.log(textTable(rows));
  console.log(`\n${notes(meta).join("\n")}`);
  console.log(`\n${json.summary.targets - json.summary.failed} of ${json.summary.targets} targets met.`);
  for (const row of rows.filter((r) => r.error)) console.log(`ERROR in ${row.id}: ${row.error.split("\n").slice(0, 4).join("\n  ")}`);
  console.log(`\nMarkdown (also in bench/results/latest.md):\n\n${markdown}`);
  console.log(`JSON: ${path.relative(process.cwd(), path.join(RESULTS_DIR, "latest.json"))}`);
  // Unmet targets are a finding, not a failure of the benchmark; a case that could not run is.
  if (json.summary.errors > 0) process.exitCode = 1;
}

try {
  await main();
} catch (error) {
  console.error(`bench failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  removeFolder(WORK);
}

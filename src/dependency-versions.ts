/**
 * The versions that generated plugins pin, in one place for the templates to read. The pins
 * themselves live in dependency-versions/ as files that Renovate and Dependabot bump
 * (requirements.txt, Dockerfile, action.yml); this module parses them and derives the ranges a
 * plugin declares. The lowest supported versions (FLOORS) are a promise to plugin users, so
 * they are set here by hand, never by a bot.
 */
import { DEPENDENCY_FILES } from "./dependency-versions-files.js";

/** The lowest version of each dependency that a plugin declares it supports. */
const FLOORS = {
  flytekit: "1.13.15",
  python: "3.10",
  hatchling: "1.21",
  pytest: "8",
  // pandas 2.0 and 2.1 allow numpy 2, which they were not built for: they fail at import.
  pandas: "2.2",
  pyarrow: "14",
  sqlalchemy: "2",
} as const;

type Version = readonly number[];

export function parseVersion(text: string): Version {
  if (!/^\d+(\.\d+)*$/.test(text)) throw new Error(`dependency-versions: "${text}" is not a plain version`);
  return text.split(".").map(Number);
}

/** Negative, zero or positive as `a` is lower than, equal to or higher than `b`; 2.2 equals 2.2.0. */
export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** `name==version` lines; comments and blank lines skipped. */
export function parsePins(text: string): Record<string, string> {
  const pins: Record<string, string> = {};
  for (const line of text.split("\n").map((raw) => raw.replace(/#.*/, "").trim())) {
    if (line === "") continue;
    const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)$/.exec(line);
    if (!match) throw new Error(`dependency-versions/requirements.txt: expected name==version, got "${line}"`);
    pins[match[1]!.toLowerCase()] = match[2]!;
  }
  return pins;
}

/** The image of the (last) FROM line. */
export function parseBaseImage(text: string): string {
  const images = [...text.matchAll(/^FROM\s+(\S+)/gim)].map((match) => match[1]!);
  if (images.length === 0) throw new Error("dependency-versions/Dockerfile: no FROM line");
  return images[images.length - 1]!;
}

/** `owner/name@sha # vX.Y.Z` for each `uses:` line, keyed by the action's name (`checkout`). */
export function parseActions(text: string): Record<string, string> {
  const actions: Record<string, string> = {};
  for (const match of text.matchAll(/^\s*-?\s*uses:\s*([\w.-]+\/([\w.-]+))@([0-9a-f]{40})\s+#\s*(v\S+)\s*$/gm)) {
    actions[match[2]!] = `${match[1]}@${match[3]} # ${match[4]}`;
  }
  const uses = text.match(/^\s*-?\s*uses:/gm)?.length ?? 0;
  if (uses !== Object.keys(actions).length) throw new Error("dependency-versions/action.yml: every `uses:` must be owner/name@<40-hex SHA> # vX.Y.Z");
  return actions;
}

function pinOf(pins: Record<string, string>, name: string): string {
  const pin = pins[name];
  if (pin === undefined) throw new Error(`dependency-versions/requirements.txt: no pin for ${name}`);
  return pin;
}

/** The floor set for `name`, refusing one above the tested pin. */
function floorOf(name: keyof typeof FLOORS, pin: string): string {
  if (compareVersions(parseVersion(FLOORS[name]), parseVersion(pin)) > 0) throw new Error(`dependency-versions: ${name}'s floor ${FLOORS[name]} is above its pin ${pin}`);
  return FLOORS[name];
}

/** The Python minor versions from the floor up to the base image's, e.g. 3.10, 3.11, 3.12. */
function pythonVersionsUpTo(image: string): string[] {
  const match = /^python:(\d+)\.(\d+)(?:[-.]|$)/.exec(image);
  if (!match) throw new Error(`dependency-versions/Dockerfile: expected a python:X.Y image, got ${image}`);
  const [floorMajor, floorMinor] = parseVersion(FLOORS.python) as [number, number];
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major !== floorMajor || minor < floorMinor) throw new Error(`dependency-versions: the image's Python ${major}.${minor} is below the floor ${FLOORS.python}`);
  return Array.from({ length: minor - floorMinor + 1 }, (_, i) => `${major}.${floorMinor + i}`);
}

function buildVersions() {
  const pins = parsePins(DEPENDENCY_FILES.requirements);
  const pin = (name: string): string => pinOf(pins, name);
  const pythonImage = parseBaseImage(DEPENDENCY_FILES.dockerfile);
  const pythonVersions = pythonVersionsUpTo(pythonImage);
  const [pythonMajor, newestMinor] = parseVersion(pythonVersions[pythonVersions.length - 1]!) as [number, number];
  const flytekit = pin("flytekit");
  const flytekitFloor = floorOf("flytekit", flytekit);
  const [ruffMajor, ruffMinor] = parseVersion(pin("ruff")) as [number, number];
  return {
    /** flytekit installed in the plugin's image: the newest the plugin is tested with. */
    flytekit,
    /** The lowest flytekit the plugin declares; its CI tests on this one and the newest. */
    flytekitFloor,
    /** The range the plugin declares in pyproject.toml: the floor up to the pin's next major. */
    flytekitRange: `>=${flytekitFloor},<${parseVersion(flytekit)[0]! + 1}`,
    pythonRequires: `>=${FLOORS.python},<${pythonMajor}.${newestMinor + 1}`,
    /** Every Python minor version the plugin declares, oldest first; the last is the image's. */
    pythonVersions,
    newestPython: `${pythonMajor}.${newestMinor}`,
    pythonImage,
    hatchling: `>=${floorOf("hatchling", pin("hatchling"))}`,
    pytest: `>=${floorOf("pytest", pin("pytest"))}`,
    /** ruff's formatting changes between minor versions: the plugin keeps to the tested one. */
    ruff: `>=${ruffMajor}.${ruffMinor},<${ruffMajor}.${ruffMinor + 1}`,
    pandas: `>=${floorOf("pandas", pin("pandas"))}`,
    pyarrow: `>=${floorOf("pyarrow", pin("pyarrow"))}`,
    /** For the sqlalchemy example. */
    sqlalchemy: `>=${floorOf("sqlalchemy", pin("sqlalchemy"))}`,
    /** The lowest version of each dependency, as declared: the tool's floor tests install exactly these. */
    floors: { ...FLOORS, flytekit: flytekitFloor, ruff: `${ruffMajor}.${ruffMinor}` },
    /** Every exact pin of requirements.txt, by lower-case name (the tool's own tests install these). */
    pins,
    /** `owner/name@sha # vX.Y.Z` by action name, for the generated workflow's `uses:`. */
    actions: parseActions(DEPENDENCY_FILES.actions),
  } as const;
}

export default buildVersions();

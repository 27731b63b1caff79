/**
 * Release: `flyte-task release <version|patch|minor|major>`. Moves the versions that must move
 * together (the package in pyproject.toml, the tag of the default image in the schema, so the
 * image that runs a template is the one that wrote it), regenerates, and records the `custom`
 * this version's templates hold under tests/released/, which the generated test_released.py
 * runs through today's code from then on. A non-major release is refused while `compat`
 * reports a breaking change. Commits and tags nothing: it prints the git commands.
 */
import { join } from "node:path";
import { compatChanges } from "./compat.js";
import { InputError } from "./errors.js";
import { readIfExists } from "./files.js";
import { CONFIG_FILE } from "./ownership.js";
import { sampleOf } from "./render.js";
import type { FieldDef, TaskSchema } from "./schema.js";
import { readConfigText, syncWithEdits, type SyncOptions } from "./sync.js";
import type { PyValue } from "./python.js";

const PYPROJECT = "pyproject.toml";
const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;
const VERSION_LINE = /^version = "([^"]*)"$/m;

export interface ReleaseOptions extends SyncOptions {
  readonly allowBreaking: boolean;
}

/** The version after `current` for `spec`: a version, or patch, minor or major. */
export function nextVersion(current: string, spec: string): string {
  const parts = SEMVER.exec(current)?.slice(1).map(Number);
  if (parts === undefined) throw new InputError(`${PYPROJECT}: version "${current}" is not a plain semantic version (1.2.3)`);
  const [major, minor, patch] = parts as [number, number, number];
  if (spec === "major") return `${major + 1}.0.0`;
  if (spec === "minor") return `${major}.${minor + 1}.0`;
  if (spec === "patch") return `${major}.${minor}.${patch + 1}`;
  const wanted = SEMVER.exec(spec.replace(/^v/, ""))?.slice(1).map(Number);
  if (wanted === undefined) throw new InputError(`release "${spec}": give a version such as 1.2.3, or patch, minor or major`);
  const later = wanted[0]! - major || wanted[1]! - minor || wanted[2]! - patch;
  if (later <= 0) throw new InputError(`release "${spec}": it must come after the current version ${current}`);
  return wanted.join(".");
}

/** The image with its tag set to `version`: `registry:5000/team/image:0.1.0` -> `...:0.2.0`. */
export function imageWithTag(image: string, version: string): string {
  const digest = image.indexOf("@");
  const name = digest < 0 ? image : image.slice(0, digest);
  const colon = name.lastIndexOf(":");
  const untagged = colon > name.lastIndexOf("/") ? name.slice(0, colon) : name;
  return `${untagged}:${version}`;
}

/** What `to_custom` writes for the sample config: secrets as references, json as its text, aliases as copies. */
export function recordedCustom(schema: TaskSchema): Record<string, PyValue | null> {
  const custom: Record<string, PyValue | null> = {};
  for (const field of schema.fields) {
    const value = field.default !== undefined && field.default !== null && field.example === undefined ? field.default : sampleOf(field);
    custom[field.name] = stored(field, value);
    for (const alias of field.aliases ?? []) custom[alias] = custom[field.name]!;
  }
  return custom;
}

function stored(field: FieldDef, value: PyValue): PyValue {
  if (field.type === "json") return JSON.stringify(value);
  if (field.type === "secret") return reference(value);
  if (field.type === "dict[str,secret]") return Object.fromEntries(Object.entries(value as Record<string, PyValue>).map(([key, item]) => [key, reference(item)]));
  return value;
}

function reference(secret: PyValue): PyValue {
  const { group, key, group_version: version = null, mount_requirement: mount = "ANY" } = secret as Record<string, PyValue | null>;
  return { group: group ?? "", key: key ?? "", group_version: version, mount_requirement: mount } as PyValue;
}

export async function release(root: string, spec: string, options: ReleaseOptions): Promise<number> {
  const pyproject = readIfExists(join(root, PYPROJECT));
  const current = pyproject === null ? null : VERSION_LINE.exec(pyproject)?.[1];
  if (pyproject === null || current === undefined || current === null) throw new InputError(`${PYPROJECT}: no \`version = "..."\` line to release from`);
  const version = nextVersion(current, spec);
  const isMajor = Number(version.split(".")[0]) > Number(current.split(".")[0]);
  const { against, changes } = await compatChanges(root, undefined);
  const breaking = changes.filter((change) => change.class === "breaking");
  if (breaking.length > 0 && !isMajor && !options.allowBreaking) {
    for (const change of breaking) options.error(`  breaking   ${change.subject}: ${change.change}`);
    options.error(`Not releasing ${version}: ${breaking.length} change(s) since ${against} break its templates. Release a new major version, make them compatible, or pass --allow-breaking.`);
    return 1;
  }
  const status = await syncWithEdits(root, options, async () => {
    const { parseConfig } = await import("./config-file.js");
    const before = readConfigText(root);
    const schema = parseConfig(before);
    const image = imageWithTag(schema.image, version);
    const configText = before.split(JSON.stringify(schema.image)).join(JSON.stringify(image));
    if (configText === before && image !== schema.image) throw new InputError(`${CONFIG_FILE}: the image ${JSON.stringify(schema.image)} is not written as one string literal; set its tag to ${version} by hand`);
    const custom = `${JSON.stringify(recordedCustom(parseConfig(configText)), null, 2)}\n`;
    const record = `tests/released/${version}.json`;
    return {
      configText,
      extra: [
        { path: CONFIG_FILE, before, after: configText },
        { path: record, before: readIfExists(join(root, record)), after: custom },
      ],
      overrides: new Map([[PYPROJECT, pyproject.replace(VERSION_LINE, `version = "${version}"`)]]),
    };
  });
  if (status !== 0 || options.dryRun) return status;
  options.log(`Released ${version} (from ${current}): pyproject.toml, the default image's tag, tests/released/${version}.json.`);
  options.log("Run the tests, then commit and tag:");
  options.log(`  git add --all && git commit -m "Release ${version}" && git tag v${version}`);
  return 0;
}

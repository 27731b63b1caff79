/** The pins in dependency-versions/ and what the plugin declares from them. */
import { describe, expect, it } from "vitest";
import versions, { parseActions, parseBaseImage, parsePins } from "../../src/dependency-versions.js";
import { renderPlugin } from "../../src/render.js";
import { validateSchema } from "../../src/schema.js";
import { FLOOR_REQUIREMENTS } from "../support/python-env.js";

describe("dependency versions", () => {
  it("parses exact pins, and refuses anything a bot could not bump as a pin", () => {
    expect(parsePins("# comment\n\nFlytekit==1.2.3  # trailing\nruff==0.17.6\n")).toEqual({ flytekit: "1.2.3", ruff: "0.17.6" });
    expect(() => parsePins("flytekit>=1.2\n")).toThrow(/name==version/);
  });

  it("reads the base image and the actions, each pinned to a full commit SHA with its version", () => {
    expect(parseBaseImage("# x\nFROM python:3.12-slim-bookworm\n")).toBe("python:3.12-slim-bookworm");
    const sha = "0123456789abcdef0123456789abcdef01234567";
    expect(parseActions(`steps:\n  - uses: actions/checkout@${sha} # v5.0.0\n`)).toEqual({ checkout: `actions/checkout@${sha} # v5.0.0` });
    expect(() => parseActions("steps:\n  - uses: actions/checkout@v5\n")).toThrow(/40-hex SHA/);
  });

  it("declares ranges that hold the tested pins, from the floor to the image's Python", () => {
    expect(versions.flytekitRange).toBe(`>=${versions.flytekitFloor},<${Number(versions.flytekit.split(".")[0]) + 1}`);
    expect(versions.pythonImage).toMatch(new RegExp(`^python:${versions.newestPython.replace(".", "\\.")}-`));
    expect(versions.pythonVersions[0]).toBe("3.10");
    expect(versions.pythonVersions.at(-1)).toBe(versions.newestPython);
    const [ruffMajor, ruffMinor] = versions.pins.ruff!.split(".").map(Number) as [number, number];
    expect(versions.ruff).toBe(`>=${ruffMajor}.${ruffMinor},<${ruffMajor}.${ruffMinor + 1}`);
    for (const action of Object.values(versions.actions)) expect(action).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  // The floor venv is a lowest-direct resolution: each declared lower bound is installed exactly.
  it("tests every lower bound a plugin declares, exactly", async () => {
    const files = await renderPlugin(validateSchema({ name: "sqlalchemy-query", taskType: "sqlalchemy_query", image: "localhost:30000/flytekitplugins-sqlalchemy-query:0.1.0", kind: "sql", example: "sqlalchemy", fields: [] }));
    const pyproject = files.find((file) => file.path === "pyproject.toml")!.content;
    const lowerBounds = [...pyproject.matchAll(/"([A-Za-z0-9_.-]+)>=([\d.]+)/g)].map((match) => `${match[1]}==${match[2]}`);
    expect(lowerBounds.map((bound) => bound.split("==")[0]).sort()).toEqual(["flytekit", "flytekitplugins-sqlalchemy", "hatchling", "pandas", "pyarrow", "pytest", "ruff", "sqlalchemy"]);
    expect([...FLOOR_REQUIREMENTS].sort()).toEqual(lowerBounds.sort());
  });
});


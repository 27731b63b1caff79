/** The pins in dependency-versions/ and what the plugin declares from them. */
import { describe, expect, it } from "vitest";
import versions, { parseActions, parseBaseImage, parsePins } from "../../src/dependency-versions.js";

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
});

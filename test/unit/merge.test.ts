import { describe, expect, it } from "vitest";
import { hasConflictMarkers, mergeThreeWay } from "../../src/merge.js";

const labels = { ours: "yours", base: "previous", theirs: "new" };

describe("three-way merge", () => {
  it("keeps the user's file byte for byte when the output did not change", () => {
    const ours = "a\nuser line\nb\n  \n";
    expect(mergeThreeWay(ours, "a\nb\n", "a\nb\n", labels)).toEqual({ content: ours, conflicts: 0 });
  });

  it("takes the new output when the user did not change the file", () => {
    expect(mergeThreeWay("a\nb\n", "a\nb\n", "a\nc\n", labels)).toEqual({ content: "a\nc\n", conflicts: 0 });
  });

  it("merges changes to different parts cleanly", () => {
    const base = "1\n2\n3\n4\n5\n6\n";
    const ours = "1\nmine\n2\n3\n4\n5\n6\n";
    const theirs = "1\n2\n3\n4\n5\nnew 6\n";
    expect(mergeThreeWay(ours, base, theirs, labels)).toEqual({ content: "1\nmine\n2\n3\n4\n5\nnew 6\n", conflicts: 0 });
  });

  it("writes labelled markers where both sides changed the same lines", () => {
    const merged = mergeThreeWay("a\nmine\nc\n", "a\nb\nc\n", "a\ntheirs\nc\n", labels);
    expect(merged.conflicts).toBe(1);
    expect(merged.content).toBe("a\n<<<<<<< yours\nmine\n||||||| previous\nb\n=======\ntheirs\n>>>>>>> new\nc\n");
    expect(hasConflictMarkers(merged.content)).toBe(true);
  });

  it("treats the same change on both sides as no conflict", () => {
    expect(mergeThreeWay("a\nx\nc\n", "a\nb\nc\n", "a\nx\nc\n", labels)).toEqual({ content: "a\nx\nc\n", conflicts: 0 });
  });

  it("keeps a missing final newline of the user's", () => {
    expect(mergeThreeWay("top\na\nb", "a\nb", "a\nb\nc", labels).content).toBe("top\na\nb\nc");
  });

  it("merges a CRLF file line by line, as its LF twin, and writes CRLF throughout", () => {
    const base = "1\n2\n3\n4\n5\n6\n";
    const theirs = "1\n2\n3\n4\n5\nnew 6\n";
    const ours = "1\r\nmine\r\n2\r\n3\r\n4\r\n5\r\n6\r\n";
    expect(mergeThreeWay(ours, base, theirs, labels)).toEqual({ content: "1\r\nmine\r\n2\r\n3\r\n4\r\n5\r\nnew 6\r\n", conflicts: 0 });
  });

  it("keeps a BOM, and takes the new output in the file's endings when the user changed only endings", () => {
    expect(mergeThreeWay("\uFEFFa\r\nb\r\n", "a\nb\n", "a\nc\n", labels)).toEqual({ content: "\uFEFFa\r\nc\r\n", conflicts: 0 });
  });

  it("writes conflict markers in the file's endings", () => {
    const merged = mergeThreeWay("a\r\nmine\r\nc\r\n", "a\nb\nc\n", "a\ntheirs\nc\n", labels);
    expect(merged.conflicts).toBe(1);
    expect(merged.content.replace(/\r\n/g, "")).not.toContain("\n");
    expect(hasConflictMarkers(merged.content)).toBe(true);
  });
});

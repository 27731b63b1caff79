import { describe, expect, it } from "vitest";
import { scanReferences } from "../../src/references.js";

const source = `config = AcmeQueryConfig.from_custom(tt.custom)
retries = config.retries  # config.retries in a comment stays
budget = self.task_config.retries * 2
raw = tt.custom["retries"]
fallback = custom.get('retries', 3)
retries_total = retries + 1
message = f"{retries} retries"
other.retries = 1
made = AcmeQueryConfig(uri="x", retries=2)
meta = TaskMetadata(retries=2)
`;

describe("references to a field", () => {
  it("rewrites config attributes and custom keys, and lists the rest", () => {
    const scan = scanReferences(source, "retries", "attempts");
    expect(scan.rewritten).toBe(5);
    expect(scan.source).toContain('made = AcmeQueryConfig(uri="x", attempts=2)');
    expect(scan.source).toContain("meta = TaskMetadata(retries=2)");
    expect(scan.source).toContain("retries = config.attempts  # config.retries in a comment stays");
    expect(scan.source).toContain("budget = self.task_config.attempts * 2");
    expect(scan.source).toContain('raw = tt.custom["attempts"]');
    expect(scan.source).toContain("fallback = custom.get('attempts', 3)");
    expect(scan.leftOver.map((reference) => reference.line)).toEqual([2, 6, 7, 8, 10]);
  });

  it("only lists when not renaming", () => {
    const scan = scanReferences(source, "retries");
    expect(scan.source).toBe(source);
    expect(scan.rewritten).toBe(0);
    expect(scan.leftOver.map((reference) => reference.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("does not touch other names that contain the field's name", () => {
    const scan = scanReferences("config.retries_max = config.max_retries\n", "retries", "attempts");
    expect(scan.rewritten).toBe(0);
    expect(scan.leftOver).toEqual([]);
  });
});

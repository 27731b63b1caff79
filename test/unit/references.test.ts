import { describe, expect, it } from "vitest";
import { scanReferences } from "../../src/references.js";

const CONFIG = "AcmeQueryConfig";

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

function rename(text: string) {
  return scanReferences(text, "retries", CONFIG, "attempts");
}

describe("references to a field", () => {
  it("rewrites config attributes and custom keys, and lists the rest", () => {
    const scan = rename(source);
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
    const scan = scanReferences(source, "retries", CONFIG);
    expect(scan.source).toBe(source);
    expect(scan.rewritten).toBe(0);
    expect(scan.leftOver.map((reference) => reference.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("does not touch other names that contain the field's name", () => {
    const scan = rename("config = AcmeQueryConfig()\nconfig.retries_max = config.max_retries\n");
    expect(scan.rewritten).toBe(0);
    expect(scan.leftOver).toEqual([]);
  });
});

describe("only what is provably the plugin's config is rewritten (issue 8, point 8)", () => {
  it("leaves db_config.retries in an unrelated function and lists it", () => {
    const text = `def connect(db_config):
    return db_config.retries

def run(self):
    return self.task_config.retries
`;
    const scan = rename(text);
    expect(scan.source).toContain("return db_config.retries");
    expect(scan.source).toContain("return self.task_config.attempts");
    expect(scan.leftOver).toEqual([{ line: 2, text: "return db_config.retries" }]);
  });

  it("rewrites a parameter annotated with the config class, plain or quoted", () => {
    const text = `def a(cfg: AcmeQueryConfig, n: int):
    return cfg.retries

def b(cfg: "AcmeQueryConfig"):
    return cfg.retries
`;
    const scan = rename(text);
    expect(scan.rewritten).toBe(2);
    expect(scan.leftOver).toEqual([]);
  });

  it("rewrites an annotated variable and one assigned from self.task_config", () => {
    const text = `def a(self):
    cfg: AcmeQueryConfig = load()
    mine = self.task_config
    return cfg.retries + mine.retries
`;
    const scan = rename(text);
    expect(scan.source).toContain("return cfg.attempts + mine.attempts");
  });

  it("does not rewrite a name annotated with another Config class", () => {
    const scan = rename("def a(cfg: DbConfig):\n    return cfg.retries\n");
    expect(scan.rewritten).toBe(0);
    expect(scan.leftOver.map((reference) => reference.line)).toEqual([2]);
  });

  it("does not rewrite keyword arguments of other Config classes", () => {
    const scan = rename("made = RetryConfig(retries=2)\nalso = mod.AcmeQueryConfig(retries=1)\n");
    expect(scan.rewritten).toBe(0);
    expect(scan.leftOver.map((reference) => reference.line)).toEqual([1, 2]);
  });

  it("scopes a binding to its function: the same name elsewhere is not proven", () => {
    const text = `def a():
    config = AcmeQueryConfig()
    return config.retries

def b(config):
    return config.retries
`;
    const scan = rename(text);
    expect(scan.source).toContain("    config = AcmeQueryConfig()\n    return config.attempts");
    expect(scan.source).toContain("def b(config):\n    return config.retries");
    expect(scan.leftOver.map((reference) => reference.line)).toEqual([6]);
  });

  it("does not rewrite a name also bound to something else in the same scope", () => {
    const text = `def a(flag):
    config = AcmeQueryConfig()
    if flag:
        config = other()
    return config.retries
`;
    const scan = rename(text);
    expect(scan.rewritten).toBe(0);
    expect(scan.leftOver.map((reference) => reference.line)).toEqual([5]);
  });

  it("uses a module-level config inside a function that does not rebind it", () => {
    const text = `DEFAULT = AcmeQueryConfig(retries=1)

def a():
    return DEFAULT.retries

def b():
    for DEFAULT in things:
        print(DEFAULT.retries)
`;
    const scan = rename(text);
    expect(scan.source).toContain("DEFAULT = AcmeQueryConfig(attempts=1)");
    expect(scan.source).toContain("    return DEFAULT.attempts");
    expect(scan.source).toContain("print(DEFAULT.retries)");
    expect(scan.leftOver.map((reference) => reference.line)).toEqual([8]);
  });

  it("does not take other.self.task_config or self.task_config.sub as proof", () => {
    const scan = rename("x = other.self.task_config.retries\ny = self.task_config.sub.retries\n");
    expect(scan.rewritten).toBe(0);
    expect(scan.leftOver.map((reference) => reference.line)).toEqual([1, 2]);
  });

  it("rewrites in a method, as the generated executor reads the config", () => {
    const text = `class AcmeQueryExecutor(ShimTaskExecutor):
    def execute_from_model(self, tt, **kwargs):
        config = AcmeQueryConfig.from_custom(tt.custom)
        budget = (
            config.retries
        )
        return budget

    def other(self, config):
        return config.retries
`;
    const scan = rename(text);
    expect(scan.rewritten).toBe(1);
    expect(scan.source).toContain("            config.attempts\n");
    expect(scan.leftOver.map((reference) => reference.line)).toEqual([10]);
  });
});

/**
 * The package's public API: what `flyte-task.config.ts` imports. The tool never executes that
 * file (it reads it as a syntax tree), so this module exists for the editor: it types the
 * schema. The types derive from the schema module's own tables, so the editor and the tool's
 * validation cannot disagree on what a field type accepts.
 */
import type { Example, FieldType, Kind, OutputDef, OutputType, ValueOf } from "./schema.js";

export type { Example, FieldType, Kind, OutputType } from "./schema.js";
export type FieldValue<T extends FieldType> = ValueOf<T>;

/**
 * One custom field. Without `default` it is required; `default: null` makes it optional (None).
 * `example` is a realistic value that the generated tests and README use. A `choice` lists its
 * `choices`; a `secret` is a reference (`{ group, key }`), never the value.
 */
export type FieldConfig = {
  [T in FieldType]: { type: T; default?: ValueOf<T> | null; example?: ValueOf<T>; description?: string } & (T extends "choice" ? { choices: readonly string[] } : { choices?: never });
}[FieldType];

export interface TaskTypeConfig {
  /** Plugin name: lower-case words joined by hyphens; it names the package and classes. */
  name: string;
  kind?: Kind;
  /** The Flyte task type string the platform routes on. */
  taskType: string;
  /** The container image the task runs in. */
  image: string;
  /** The prefix of the generated classes, e.g. `SQLAlchemy` for `SQLAlchemyConfig`; derived from the name by default. */
  classPrefix?: string;
  /**
   * The generic kind's outputs by name, in order (default `result: str`), e.g.
   * `{ rows: { type: "int" }, report: { type: "file" } }`. The sql kind returns `results`.
   */
  outputs?: Record<string, { type: OutputType }>;
  /** One output, as plugins made by version 0.1 write it; `outputs` replaces it. */
  output?: { name: string; type: OutputDef["type"] };
  example?: Example;
  /** The config fields that `get_custom` serializes, in order. */
  fields: Record<string, FieldConfig>;
}

/** Types a plugin's schema. Returns its argument unchanged. */
export function defineTaskType<const T extends TaskTypeConfig>(config: T): T {
  return config;
}

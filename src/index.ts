/**
 * What `flyte-task.config.ts` imports. The tool never executes that file (it reads it as a
 * syntax tree), so this module exists for the editor: it types the schema and checks values.
 */
export type { FieldType, Kind, Example } from "./schema.js";
import type { Example, FieldType, Kind } from "./schema.js";

type ScalarValue<T extends string> = T extends "str" ? string : T extends "bool" ? boolean : number;

/** The TypeScript type of a default for each field type: `list[int]` -> `number[]`. */
export type FieldValue<T extends FieldType> = T extends `list[${infer Item}]`
  ? ScalarValue<Item>[]
  : T extends `dict[str,${infer Item}]`
    ? Record<string, ScalarValue<Item>>
    : ScalarValue<T>;

/** One custom field. Without `default` it is required; `default: null` makes it optional (None). */
export type FieldConfig = {
  [T in FieldType]: { type: T; default?: FieldValue<T> | null; description?: string };
}[FieldType];

export interface TaskTypeConfig {
  /** Plugin name: lower-case words joined by hyphens; it names the package and classes. */
  name: string;
  kind?: Kind;
  /** The Flyte task type string the platform routes on. */
  taskType: string;
  /** The container image the task runs in. */
  image: string;
  /** The generic kind's single output (default `result: str`); the sql kind always returns `results`. */
  output?: { name: string; type: "str" | "int" | "float" | "bool" };
  example?: Example;
  /** The config fields that `get_custom` serializes, in order. */
  fields: Record<string, FieldConfig>;
}

/** Types a plugin's schema. Returns its argument unchanged. */
export function defineTaskType<const T extends TaskTypeConfig>(config: T): T {
  return config;
}

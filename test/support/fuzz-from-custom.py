"""Feed a generated config's from_custom every kind of value a task template's ``custom``
could hold, as a hostile or older template would.

Each ``custom`` starts from the plugin's own valid one (REQUIRED_CUSTOM of its
tests/test_config.py), with up to three fields removed or set to random values. It must either be read, and then survive to_custom, a protobuf Struct and
from_custom again unchanged, or be refused with a TypeError or ValueError that names a field
of the config. Usage: fuzz-from-custom.py <module> <config class> <trials> <seed>.
Prints one summary line; exits 1 with the first counterexample.
"""

import dataclasses
import importlib
import random
import sys
from typing import Any, Literal, get_args, get_origin, get_type_hints

from google.protobuf import json_format, struct_pb2

SCALARS: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    -7,
    2.5,
    3.0,
    -1.0,
    2**53,
    2**53 + 1,
    2**70,
]
SCALARS += [float("inf"), float("nan"), "", "text", "{", "[1]", '{"a": 1}', "null"]
SECRET_PARTS = ["group", "key", "group_version", "mount_requirement", "other"]
SECRET_VALUES: list[Any] = ["ANY", "FILE", "ENV_VAR", "DISK", "db", None, 1, [1]]


def random_value(rng: random.Random, strings: list[str], depth: int = 0) -> Any:
    roll = rng.random()
    if depth < 3 and roll < 0.2:
        return [random_value(rng, strings, depth + 1) for _ in range(rng.randint(0, 3))]
    if depth < 3 and roll < 0.35:
        keys = rng.choices(SECRET_PARTS, k=rng.randint(0, 5))
        return {key: rng.choice(SECRET_VALUES) for key in keys}
    if depth < 3 and roll < 0.5:
        keys = rng.choices(strings, k=rng.randint(0, 3))
        return {key: random_value(rng, strings, depth + 1) for key in keys}
    return rng.choice(SCALARS + strings)


def through_struct(custom: dict[str, Any]) -> dict[str, Any]:
    struct = struct_pb2.Struct()
    struct.update(custom)
    return json_format.MessageToDict(struct)


def main() -> int:
    module, class_name, trials, seed = sys.argv[1:]
    config_class = getattr(importlib.import_module(module), class_name)
    valid: dict[str, Any] = importlib.import_module("tests.test_config").REQUIRED_CUSTOM
    names = [field.name for field in dataclasses.fields(config_class)]
    # The values of every choice field, so that some values are valid.
    strings = ["a", "key"] + [
        arg
        for hint in get_type_hints(config_class).values()
        if get_origin(hint) is Literal
        for arg in get_args(hint)
    ]
    rng = random.Random(int(seed))
    read = refused = 0
    for _ in range(int(trials)):
        custom = dict(valid)
        for name in rng.sample(names, min(len(names), rng.randint(0, 3))):
            if rng.random() < 0.2:
                custom.pop(name, None)
            else:
                custom[name] = random_value(rng, strings)
        try:
            config = config_class.from_custom(custom)
        except (TypeError, ValueError) as error:
            if not any(f"field '{name}'" in str(error) for name in names):
                print(f"unnamed {type(error).__name__}: {error} from {custom!r}")
                return 1
            refused += 1
            continue
        except Exception as error:  # noqa: BLE001 - any other exception is the finding
            print(f"{type(error).__name__}: {error} from {custom!r}")
            return 1
        try:
            again = config_class.from_custom(through_struct(config.to_custom()))
        except Exception as error:  # noqa: BLE001 - what was read must pass through
            print(
                f"read, but not through a Struct: {type(error).__name__}: {error} from {custom!r}"
            )
            return 1
        if again != config:
            print(
                f"changed through a Struct: {config!r} became {again!r}, from {custom!r}"
            )
            return 1
        read += 1
    print(
        f"from_custom: {read} read and round-tripped, {refused} refused by field name, seed {seed}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

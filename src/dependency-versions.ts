/**
 * The versions that generated plugins pin, in one place for the templates to read:
 * bump them here and every newly generated or regenerated plugin follows.
 */
export default {
  /** flytekit installed in the plugin's image. */
  flytekit: "1.16.31",
  /** The range the plugin declares in pyproject.toml. */
  flytekitRange: ">=1.12,<2",
  pythonRequires: ">=3.10,<3.13",
  pythonImage: "python:3.12-slim-bookworm",
  hatchling: ">=1.21",
  pytest: ">=8",
  ruff: ">=0.17,<0.18",
  pandas: ">=2",
  pyarrow: ">=14",
} as const;

/**
 * Handlebars templates compiled ahead of time, keyed by the sha256 of their source. Empty in
 * the source tree; scripts/bundle.mjs fills it in the published bundle, so that a run needs
 * only Handlebars' small runtime. A template whose source differs from the one compiled falls
 * back to the compiler.
 */
export const PRECOMPILED: Readonly<Record<string, TemplateSpecification>> = {};

export type TemplateSpecification = object;

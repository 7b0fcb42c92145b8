import { z } from "zod";

/**
 * One area of the configuration: the environment variables it reads (`shape`: variable → field
 * parser) and how their parsed values become the area's typed settings (`build`, which may add
 * cross-variable issues). The config schema is the union of all shapes; an area can also be
 * parsed alone (tests, and callers handed an env of their own).
 */
export interface Slice<S extends z.ZodRawShape, T> {
  shape: S;
  build(values: z.output<z.ZodObject<S>>, ctx: z.core.$RefinementCtx<unknown>): T;
}

export function defineSlice<S extends z.ZodRawShape, T>(
  shape: S,
  build: (values: z.output<z.ZodObject<S>>, ctx: z.core.$RefinementCtx<unknown>) => T,
): Slice<S, T> {
  return { shape, build };
}

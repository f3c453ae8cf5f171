// Statements built from parts (a CTE here, a CTE there) number their parameters as they go.

/** Adds a value to the statement's parameters and gives its placeholder (`$1`, `$2`, …). */
export type Param = (value: unknown) => string;

export function parameters(): { $: Param; values: unknown[] } {
  const values: unknown[] = [];
  return { values, $: (value) => `$${values.push(value)}` };
}

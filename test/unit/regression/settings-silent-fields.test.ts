// Bug: resolveOptions (widget/core/options.ts) reads `debug` and `open` as `=== true` and says
// nothing when they are something else, so `debug: "true"` or `open: 1` is silently ignored. The
// contract (DESIGN.md, Commands: "malformed arguments: a console.warn naming the problem") and
// every other field (appId, apiBase, identity) warn. Fix: warn when either is not a boolean.
import { expect, it } from "vitest";
import { resolveOptions } from "../../../widget/core/options.ts";
import { usePage } from "../helpers.ts";

const page = usePage();

it.each([
  ["debug", "true"],
  ["open", "yes"],
])("ParleySettings.%s = %j warns, naming the field", (field, value) => {
  const o = resolveOptions({ appId: "app_1", base: "https://cdn.test/loader.js" }, [{ from: "ParleySettings", value: { [field]: value } }]);
  expect(o[field as "debug" | "open"]).toBe(false);
  expect(page.warnings()).toHaveLength(1);
  expect(page.warnings()[0]).toContain(`ParleySettings.${field}`);
});

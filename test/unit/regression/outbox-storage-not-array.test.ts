// Bug: Outbox's constructor (widget/core/outbox.ts) does
//   (readJson<OutboxItem[]>(store, key) ?? []).filter(…)
// readJson only guards against invalid JSON, so a stored value that parses to a non-array (an
// object, a string, a number — another script, an older version, a hand edit) makes `.filter`
// throw. The Chat constructor throws with it, boot() catches and warns "could not start", and the
// widget never appears on that browser again until its storage is cleared. Fix: treat anything
// that is not an array as empty (`const saved = readJson(…); Array.isArray(saved) ? saved : []`).
import { expect, it, vi } from "vitest";
import { boot } from "../../../widget/core/boot.ts";
import { Outbox } from "../../../widget/core/outbox.ts";
import { safeStorage } from "../../../widget/core/storage.ts";
import { useApi, usePage, win } from "../helpers.ts";

const page = usePage();
useApi();
const KEY = "parley:app_test:outbox";

it.each([['{"items":[]}'], ['"text"']])("an outbox stored as %s is treated as empty", (value) => {
  localStorage.setItem(KEY, value);
  let box: Outbox | undefined;
  expect(() => (box = new Outbox(safeStorage(() => localStorage), KEY, vi.fn()))).not.toThrow();
  expect(box?.items.value).toEqual([]);
});

it("the widget still starts when the stored outbox is not an array", () => {
  localStorage.setItem(KEY, '{"oops":true}');
  win.ParleySettings = { appId: "app_test" };
  const mount = vi.fn(() => () => {});
  page.cleanup(boot(win, mount));
  expect(mount).toHaveBeenCalledTimes(1);
  expect(page.warnings().join("\n")).not.toMatch(/could not start/);
});

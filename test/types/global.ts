// `parley/global`: the snippet's globals, typed, for a page that loads Parley with a <script> tag.
import type {} from "parley/global";

window.ParleySettings = { appId: "app_1", userId: "u_42", userHash: "ab12", userName: "Ada", launcher: false };
Parley("init", { debug: true });
Parley("identify", { token: "eyJ.x.y" }, { refreshIdentity: async () => ({ token: "eyJ.x.z" }) });
Parley("logout");
Parley("open", { message: "Hello" });
window.Parley("open", { tab: "ideas" });
Parley("close");
Parley("toggle");
Parley("on", "unread", ({ count }) => count.toFixed());
Parley("on", "identity", (v) => v.status);
Parley("off", "message", (m) => m.text);

// @ts-expect-error an unknown command
Parley("shutdown");
// @ts-expect-error an unknown event
Parley("on", "unread-count", () => {});
// @ts-expect-error the unread payload is `{ count }`
Parley("on", "unread", (count: number) => count);
// @ts-expect-error a tab that does not exist
Parley("open", { tab: "shop" });
// @ts-expect-error identify needs an identity
Parley("identify");
// @ts-expect-error an identity of no proof's shape
Parley("identify", { userId: 42 });
// @ts-expect-error a setting of the wrong type
window.ParleySettings = { appId: "app_1", position: "top" };

// `import { Parley } from "parley"`: what a site writes, and what the types refuse.
import { Parley, type Claim, type CommandName, type EventName, type IdentityVerdict, type LoadOptions, type Message } from "parley";

// Every command of the contract is a function of `Parley`, and `load` besides.
const commands: Record<CommandName | "load", (...args: never[]) => void> = Parley;
void commands;

const ada: Claim = { userId: "u_42", userHash: "ab12", name: "Ada", email: "ada@example.com" };
const signed: Claim = { payload: '{"id":"u_42"}', signature: "ab12" };
const token: Claim = { token: "eyJ.x.y" };
const settings: LoadOptions = { host: "https://parley.example.com", appId: "app_1" };

Parley.load(settings);
Parley.load({
  host: "https://parley.example.com",
  appId: "app_1",
  nonce: "r4nd0m",
  identity: token,
  refreshIdentity: async () => token,
  launcher: false,
  accentColor: "#3451d1",
  position: "left",
  theme: "auto",
  tabs: ["chat", "news"],
  locale: "fr",
  debug: true,
});
Parley.init({ apiBase: "https://api.example.com" });
Parley.identify(ada);
Parley.identify(signed, { refreshIdentity: () => signed });
Parley.logout();
Parley.open();
Parley.open({ message: "I have a question about invoice #1042" });
Parley.open({ tab: "news" });
Parley.close();
Parley.toggle();

// Each handler gets its event's payload.
const stop: () => void = Parley.on("unread", ({ count }) => count.toFixed());
stop();
Parley.on("identity", (verdict) => {
  const v: IdentityVerdict = verdict;
  if (v.status === "rejected") v.reason?.toUpperCase();
});
Parley.on("message", (m) => {
  const message: Message = m;
  message.author.type satisfies "visitor" | "operator" | "note";
});
Parley.on("ready", () => {});
Parley.on("open", (nothing) => nothing satisfies undefined);
const onUnread = (e: { count: number }) => void e;
Parley.on("unread", onUnread);
Parley.off("unread", onUnread);
const anyEvent = (event: EventName) => Parley.on(event, () => {});
void anyEvent;

// @ts-expect-error an unknown command
Parley.shutdown();
// @ts-expect-error `load` needs the host
Parley.load({ appId: "app_1" });
// @ts-expect-error `load` needs the app
Parley.load({ host: "https://parley.example.com" });
// @ts-expect-error a setting of the wrong type
Parley.load({ host: "https://parley.example.com", appId: "app_1", launcher: "no" });
// @ts-expect-error an unknown event
Parley.on("unread-count", () => {});
// @ts-expect-error the unread payload is `{ count }`, not a number
Parley.on("unread", (count: number) => count);
// @ts-expect-error the identity payload has no `count`
Parley.on("identity", (v) => v.count);
// @ts-expect-error a message handler gets a Message, not text
Parley.on("message", (text: string) => text);
// @ts-expect-error off takes the handler of its event
Parley.off("message", onUnread);
// @ts-expect-error a tab that does not exist
Parley.open({ tab: "shop" });
// @ts-expect-error a draft is text
Parley.open({ message: 42 });
// @ts-expect-error open takes options, not a string
Parley.open("chat");
// @ts-expect-error close takes nothing
Parley.close({ message: "bye" });
// @ts-expect-error an identity of no proof's shape
Parley.identify({ id: "u_42" });
// @ts-expect-error a user id is text
Parley.identify({ userId: 42, userHash: "ab12" });
// @ts-expect-error a signed payload needs its signature
Parley.identify({ payload: '{"id":"u_42"}' });
// @ts-expect-error identify needs an identity (logout forgets one)
Parley.identify();
// @ts-expect-error refreshIdentity returns a proof
Parley.identify(ada, { refreshIdentity: () => "u_42" });

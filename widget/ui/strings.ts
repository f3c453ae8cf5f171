// Every visitor-facing string, one table per locale.
export const en = {
  openChat: "Open chat",
  closeChat: "Close chat",
  title: "Chat with us",
  subtitle: "We usually reply within a few minutes.",
  signedInAs: "Signed in as",
  empty: "Ask us anything. We read every message.",
  message: "Message",
  placeholder: "Write a message…",
  send: "Send",
  sending: "Sending…",
  notSent: "Not sent.",
  retry: "Retry",
  remove: "Remove",
  you: "You",
  support: "Support",
};
export type Strings = typeof en;

// The operator inbox: lists conversations, shows each message's verdict, sends replies.
// Talks to this site's backend, which adds the operator token; all text is set as text.
(function () {
  var current = null;
  /** The selected conversation's contact, as the conversation list gives it. */
  var currentContact = null;
  var $ = function (sel) { return document.querySelector(sel); };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function badgeFor(identity) {
    var status = identity ? identity.status : "anonymous";
    var label = status + (identity && identity.reason ? ": " + identity.reason : "");
    return el("span", "badge " + status, label);
  }

  function contactLabel(contact) {
    if (contact.userId) return (contact.name || contact.userId) + " (" + contact.userId + ")";
    return "Anonymous visitor " + (contact.visitorId || "").slice(0, 8);
  }

  async function api(path, init) {
    var res = await fetch("/inbox/api" + path, init);
    return res.json();
  }

  async function loadConversations() {
    var body = await api("/conversations");
    var list = $("#conversations");
    list.replaceChildren();
    (body.conversations || []).forEach(function (conv) {
      var li = el("li");
      var button = el("button", "", contactLabel(conv.contact));
      button.type = "button";
      button.dataset.id = conv.id;
      button.append(el("span", "badge " + (conv.contact.verified ? "verified" : conv.contact.userId ? "unverified" : "anonymous"), conv.contact.verified ? "verified" : conv.contact.userId ? "unverified" : "anonymous"));
      button.append(el("span", "meta muted", " " + new Date(conv.lastMessageAt).toLocaleTimeString()));
      if (conv.id === current) button.setAttribute("aria-current", "true");
      if (conv.id === current) currentContact = conv.contact;
      button.addEventListener("click", function () { current = conv.id; currentContact = conv.contact; refresh(); });
      li.append(button);
      list.append(li);
    });
    if (!body.conversations || body.conversations.length === 0) list.append(el("li", "empty", "No conversations yet. Write something in the demo site's chat."));
  }

  async function loadThread() {
    if (!current) return;
    var body = await api("/conversations/" + current + "/messages");
    var thread = $("#thread");
    thread.replaceChildren();
    (body.messages || []).forEach(function (m) {
      var item = el("div", "msg " + m.author.type);
      var meta = el("span", "meta");
      var who = m.author.type === "operator" ? (m.author.name || "Support") : m.author.type === "note" ? "Note" : (m.author.userId ? (m.author.name || m.author.userId) : "Visitor");
      meta.append(who + " · " + new Date(m.createdAt).toLocaleTimeString());
      if (m.author.type === "visitor") meta.append(badgeFor(m.identity));
      // A rejected message's claimed id, shown as what it is: unproven, never the contact.
      if (m.author.claimedUserId) meta.append(" · claimed " + m.author.claimedUserId + " (unproven)");
      item.append(meta, document.createTextNode(m.text));
      thread.append(item);
    });
    thread.scrollTop = thread.scrollHeight;
    $("#reply").hidden = false;
  }

  function definitions(values) {
    var list = el("dl");
    Object.keys(values).forEach(function (name) {
      var value = values[name];
      list.append(el("dt", "", name), el("dd", "", typeof value === "string" ? value : JSON.stringify(value)));
    });
    return list;
  }

  // The contact of a verified user: what their latest verified claim proved, and apart from it the
  // hints a user hash carries unproven. Anyone else has no contact: nothing they said is proven.
  async function loadContact() {
    var panel = $("#contact");
    if (!currentContact || !currentContact.verified || !currentContact.userId) {
      panel.hidden = true;
      return;
    }
    var body = await api("/contacts/" + encodeURIComponent(currentContact.userId));
    if (!body.contact) {
      panel.hidden = true;
      return;
    }
    var c = body.contact;
    var attributes = Object.keys(c.attributes).length ? definitions(c.attributes) : el("p", "muted", "None: the latest proof was a user hash, which proves the id alone.");
    var hints = Object.keys(c.hints).length ? definitions(c.hints) : el("p", "muted", "None.");
    panel.replaceChildren(
      el("h2", "", "Contact " + c.userId),
      el("h3", "", "Verified attributes (proven " + new Date(c.lastVerifiedAt).toLocaleTimeString() + ")"),
      attributes,
      el("h3", "", "Hints (unverified, from a user hash)"),
      hints,
    );
    panel.hidden = false;
  }

  async function refresh() {
    try {
      await loadConversations();
      await loadContact();
      await loadThread();
    } catch (e) {
      console.warn("inbox refresh failed", e);
    }
  }

  $("#reply").addEventListener("submit", async function (e) {
    e.preventDefault();
    var text = $("#reply-text").value.trim();
    if (!text || !current) return;
    await api("/conversations/" + current + "/replies", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: text }) });
    $("#reply-text").value = "";
    refresh();
  });

  // A QA tool, not the product: a gentle refresh while the tab is visible is all it needs.
  function tick() {
    if (!document.hidden) refresh();
    setTimeout(tick, 2500);
  }
  tick();
})();

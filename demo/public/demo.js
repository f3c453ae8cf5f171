// The demo site's own script: SPA sign-in/out and the live identity status. Plain JS, no build.
(function () {
  var state = window.DemoState || { user: null, proof: "hash", tamper: false };
  var $ = function (sel) { return document.querySelector(sel); };

  function log(text) {
    var li = document.createElement("li");
    li.textContent = new Date().toLocaleTimeString() + "  " + text;
    $("#events").prepend(li);
  }

  function renderAccount() {
    $("#signed-in").textContent = state.user ? "Signed in as " + state.user.name + " (" + state.user.plan + ")" : "Not signed in (anonymous visitor)";
    document.querySelectorAll("input[name=proof]").forEach(function (r) { r.checked = r.value === state.proof; });
    $("#tamper").checked = state.tamper;
  }

  function session(change) {
    return fetch("/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(change) });
  }

  // What a customer's SPA does after its own login: ask its backend for a fresh proof, hand it to
  // Parley — with the way to ask again, so a token that runs out while the tab stays open is renewed.
  async function proofFromBackend() {
    var res = await fetch("/parley-identity");
    return (await res.json()).identity;
  }
  async function identifyFromBackend() {
    var identity = await proofFromBackend();
    if (identity) Parley("identify", identity, { refreshIdentity: proofFromBackend });
  }

  document.querySelectorAll("button[data-user]").forEach(function (button) {
    button.addEventListener("click", async function () {
      var key = button.getAttribute("data-user");
      await session({ user: key });
      state.user = { key: key, name: button.textContent.replace("Sign in as ", "").replace(/ \(.*/, ""), plan: key === "ada" ? "pro" : "free" };
      renderAccount();
      log("signed in as " + state.user.name);
      await identifyFromBackend();
    });
  });

  $("#sign-out").addEventListener("click", async function () {
    await session({ user: null });
    state.user = null;
    renderAccount();
    log("signed out");
    Parley("logout");
  });

  document.querySelectorAll("input[name=proof]").forEach(function (radio) {
    radio.addEventListener("change", async function () {
      state.proof = radio.value;
      await session({ proof: radio.value });
      log("proof: " + radio.value);
      if (state.user) await identifyFromBackend();
    });
  });

  $("#tamper").addEventListener("change", async function (e) {
    state.tamper = e.target.checked;
    await session({ tamper: state.tamper });
    log(state.tamper ? "tampering with the proof" : "proof untampered");
    if (state.user) await identifyFromBackend();
  });

  // Until the first verdict arrives, say what the page sent.
  if (!state.user) $("#identity-status").textContent = "anonymous (no claim sent)";
  Parley("on", "identity", function (v) {
    var text = v.status + (v.userId ? " · " + v.userId : "") + (v.reason ? " · " + v.reason : "");
    $("#identity-status").textContent = text;
    $("#identity-status").dataset.status = v.status;
    log("identity: " + text);
  });
  Parley("on", "ready", function () { log("widget ready"); });
  Parley("on", "message", function (m) { log("message from " + m.author.type + ": " + m.text.slice(0, 40)); });

  renderAccount();
})();

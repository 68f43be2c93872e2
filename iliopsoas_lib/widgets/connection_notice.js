// Front end of the connection notice: tells a visitor, in plain words, when the page has lost the
// server or its kernel, and what to do about it (download the log; reload once the server is back).
//
// How a lost kernel is seen (read in anywidget 0.11 and @jupyterlab/services 7.6): anywidget hands the
// ESM a model proxy whose `widget_manager` is the page's widget manager (the dashboard's own,
// frontend/src/widget-manager.js; Voilà's KernelWidgetManager on a hub), whose `kernel` is
// @jupyterlab/services' KernelConnection. That object
// - emits `connectionStatusChanged` ("connected" / "connecting" / "disconnected") the moment its
//   websocket closes (a stopped server closes it at once) and when it reopens; it retries with a
//   random back-off and gives up ("disconnected") after 7 tries;
// - emits `statusChanged` "dead" when, after a close, GET api/kernels/<id> answers 404: the server is
//   back but no longer has this page's kernel (a restart). While the server is unreachable it only
//   asks again every 10-30 s, so this file asks the same question itself every 2 s while the
//   connection is down, and calls `kernel.reconnect()` when the kernel is there again.
// The browser's own `offline` / `online` events cover a network that is switched off (a phone in a
// lift), which need not close the websocket at once. Nothing is sent on the websocket for this.

const GRACE_MS = 1000;     // a blip shorter than this (a quick reconnect) shows nothing
const PROBE_MS = 2000;     // how often to ask the server about the kernel while the connection is down
const BACK_MS = 5000;      // how long "the connection is back" stays on screen
const RECONNECT_MS = 5000; // at most one reconnect request this often

function make(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The kernel connection behind this page's widgets, or null where the manager has none to give. */
function kernelOf(model) {
  try {
    const kernel = model.widget_manager && model.widget_manager.kernel;
    return kernel && kernel.connectionStatusChanged ? kernel : null;
  } catch (e) {
    return null;
  }
}

/** The notice to show, from what is known now: one pure rule, so every path agrees. */
export function noticeState({ online, connection, dead }) {
  if (dead) return "gone";
  if (!online) return "offline";
  if (connection && connection !== "connected") return "lost";
  return "ok";
}

function render({ model, el }) {
  const words = () => model.get("words") || {};
  const kernel = kernelOf(model);

  const bar = make("div", "ilio-connection");
  bar.dataset.state = "ok";
  bar.dataset.kernel = kernel ? "watched" : "unknown";
  // The live region is on the page from the start and stays there: text put into an alert that
  // already exists is spoken; an alert that appears with its text already in it may not be.
  const message = make("p", "ilio-connection-message");
  message.setAttribute("role", "alert");
  message.setAttribute("aria-atomic", "true");
  const actions = make("div", "ilio-connection-actions");
  const download = make("a", "ilio-connection-download");
  const reload = make("button", "ilio-connection-reload");
  reload.type = "button";
  reload.addEventListener("click", () => window.location.reload());
  actions.append(download, reload);
  bar.append(message, actions);
  el.appendChild(bar);

  const facts = {
    online: navigator.onLine !== false,
    connection: kernel ? kernel.connectionStatus : "connected",
    dead: !!kernel && kernel.status === "dead",
  };
  let shown = "ok";
  let pending = null;
  let backTimer = null;
  let probeTimer = null;
  let lastReconnect = 0;

  /** Point the notice's download link at the log's own link: a data URL, so it works with no server. */
  function copyDownload() {
    const source = document.querySelector(".ilio-download-link");
    download.hidden = !source;
    if (!source) return;
    download.href = source.getAttribute("href") || "";
    download.setAttribute("download", source.getAttribute("download") || "");
  }
  download.addEventListener("click", copyDownload);  // runs before the browser follows the link

  function show(state) {
    shown = state;
    bar.dataset.state = state;
    const w = words();
    const text = { offline: w.offline, lost: w.lost, gone: w.gone, back: w.back }[state] || "";
    if (message.textContent !== text) message.textContent = text;
    download.textContent = w.download || "";
    reload.textContent = w.reload || "";
    actions.hidden = !["offline", "lost", "gone"].includes(state);
    reload.hidden = state !== "gone";
    copyDownload();
    if (state !== "ok") requestAnimationFrame(uncoverControls);
  }

  /** The notice is on top of the page: if it hides the timer's buttons, bring them below it. */
  function uncoverControls() {
    const controls = document.querySelector(".ilio-timer-buttons");
    if (!controls) return;
    const notice = bar.getBoundingClientRect();
    const rect = controls.getBoundingClientRect();
    if (rect.bottom > 0 && rect.top < notice.bottom && rect.top < window.innerHeight) {
      controls.scrollIntoView({ block: "center" });
    }
  }

  function update() {
    const state = noticeState(facts);
    if (state === "ok") {
      clearTimeout(pending); pending = null;
      stopProbing();
      if (shown !== "ok" && shown !== "back") {
        show("back");
        clearTimeout(backTimer);
        backTimer = setTimeout(() => { if (shown === "back") show("ok"); }, BACK_MS);
      }
      return;
    }
    startProbing();
    if (state === "lost" && shown !== "lost" && shown !== "offline") {
      // Wait a moment before saying the connection is lost: the kernel connection reconnects by
      // itself after a short blip, and a banner for a blip would only alarm.
      if (pending === null) pending = setTimeout(() => { pending = null; show(noticeState(facts)); }, GRACE_MS);
      return;
    }
    clearTimeout(pending); pending = null;
    clearTimeout(backTimer);
    show(state);
  }

  async function probe() {
    if (!kernel || facts.dead || kernel.isDisposed) return;
    const settings = kernel.serverSettings || {};
    const base = String(settings.baseUrl || "/").replace(/\/?$/, "/");
    const headers = settings.token ? { Authorization: `token ${settings.token}` } : {};
    let answer;
    try {
      answer = await fetch(`${base}api/kernels/${encodeURIComponent(kernel.id)}`,
        { cache: "no-store", credentials: "same-origin", headers });
    } catch (e) {
      return;  // no server (or no network): still lost
    }
    if (answer.status === 404) {  // the server is back but this page's kernel is gone: reload
      facts.dead = true;
      update();
    } else if (answer.ok && kernel.connectionStatus !== "connected" && Date.now() - lastReconnect > RECONNECT_MS) {
      lastReconnect = Date.now();  // the kernel is there: ask for the websocket now, not after a back-off
      kernel.reconnect().catch(() => {});
    }
  }

  function startProbing() {
    if (probeTimer === null && kernel && !facts.dead) probeTimer = setInterval(probe, PROBE_MS);
  }

  function stopProbing() {
    if (probeTimer !== null) { clearInterval(probeTimer); probeTimer = null; }
  }

  const onConnection = (_sender, status) => { facts.connection = status; update(); };
  const onStatus = (_sender, status) => { if (status === "dead") { facts.dead = true; update(); } };
  const onOffline = () => { facts.online = false; update(); };
  const onOnline = () => { facts.online = true; update(); probe(); };
  const onVisible = () => { if (document.visibilityState === "visible" && shown !== "ok") probe(); };
  if (kernel) {
    kernel.connectionStatusChanged.connect(onConnection);
    kernel.statusChanged.connect(onStatus);
  }
  window.addEventListener("offline", onOffline);
  window.addEventListener("online", onOnline);
  document.addEventListener("visibilitychange", onVisible);
  model.on("change:words", () => show(shown));
  show("ok");
  update();

  return () => {
    if (kernel) {
      kernel.connectionStatusChanged.disconnect(onConnection);
      kernel.statusChanged.disconnect(onStatus);
    }
    window.removeEventListener("offline", onOffline);
    window.removeEventListener("online", onOnline);
    document.removeEventListener("visibilitychange", onVisible);
    clearTimeout(pending); clearTimeout(backTimer); stopProbing();
  };
}

export default { render };

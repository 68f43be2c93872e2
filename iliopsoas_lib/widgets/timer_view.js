// Front end of the routine timer: draws what the kernel's model says, sends clicks, keys and ticks.
// It never computes time itself: the kernel answers every tick from the model and a monotonic clock,
// so a late tick (a busy phone, a background tab) only delays the redraw, never shifts the timer.

const KEYS = {
  " ": "toggle", k: "toggle", K: "toggle",
  ArrowRight: "skip", n: "skip", N: "skip",
  ArrowLeft: "back", p: "back", P: "back",
  r: "reset", R: "reset",
};

function make(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

function render({ model, el }) {
  const root = make("section", "ilio-timer");
  root.tabIndex = 0;
  root.setAttribute("aria-label", "Routine timer. Keys: space start or pause, right arrow skip, left arrow back, R reset.");

  const title = make("div", "ilio-timer-title");
  const detail = make("div", "ilio-timer-detail");
  const cue = make("div", "ilio-timer-cue");
  const countdown = make("div", "ilio-timer-countdown");
  countdown.setAttribute("aria-hidden", "true");  // the live region speaks; the digits would be noise
  const next = make("div", "ilio-timer-next");
  const overall = make("div", "ilio-timer-overall");
  const bar = make("progress", "ilio-timer-progress");
  bar.max = 1;
  bar.setAttribute("aria-label", "Progress through the routine");

  const buttons = make("div", "ilio-timer-buttons");
  const btn = (cls, label, cmd, keys) => {
    const b = make("button", `ilio-btn ${cls}`, label);
    b.type = "button";
    b.setAttribute("aria-keyshortcuts", keys);
    b.addEventListener("click", () => command(cmd));
    buttons.appendChild(b);
    return b;
  };
  const back = btn("ilio-timer-back", "◀ Back", "back", "ArrowLeft");
  const toggle = btn("ilio-timer-toggle", "Start", "toggle", "Space");
  const skip = btn("ilio-timer-skip", "Skip ▶", "skip", "ArrowRight");
  const reset = btn("ilio-timer-reset", "Reset", "reset", "R");

  const soundLabel = make("label", "ilio-timer-sound");
  const sound = make("input");
  sound.type = "checkbox";
  soundLabel.append(sound, " Sound cues");
  sound.addEventListener("change", () => { model.set("sound_on", sound.checked); model.save_changes(); });

  const help = make("div", "ilio-timer-help",
    "Keys: Space start/pause · → skip · ← back · R reset");
  const live = make("div", "ilio-timer-live");
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");

  root.append(title, detail, cue, countdown, bar, overall, next, buttons, soundLabel, help, live);
  el.appendChild(root);

  function command(cmd) { model.send({ command: cmd }); }

  function draw() {
    const d = model.get("view") || {};
    root.dataset.status = d.status || "";
    root.dataset.kind = d.kind || "";
    title.textContent = d.title || "";
    detail.textContent = d.detail || "";
    cue.textContent = d.cue || "";
    countdown.textContent = d.countdown || "";
    next.textContent = d.next_up ? `Next: ${d.next_up}` : "";
    overall.textContent = d.overall_left ? `Time left overall: ${d.overall_left}` : "";
    bar.value = d.progress || 0;
    toggle.textContent = d.status === "running" ? "Pause" : (d.status === "paused" ? "Resume" : "Start");
    toggle.disabled = d.status === "done";
    sound.checked = !!model.get("sound_on");
    ticking(d.status === "running");
  }

  let interval = null;
  function ticking(on) {
    if (on && interval === null) interval = setInterval(() => command("tick"), 250);
    if (!on && interval !== null) { clearInterval(interval); interval = null; }
  }

  function announce() {
    live.textContent = model.get("announcement") || "";
    live.dataset.count = String(model.get("announcements") || 0);
  }

  function play(name) {
    root.dataset.lastCue = name;
    if (!model.get("sound_on")) return;
    const url = (model.get("sounds") || {})[name];
    if (!url) return;
    try { new Audio(url).play().catch(() => {}); } catch (e) { /* no audio device: cues are optional */ }
  }

  root.addEventListener("keydown", (e) => {
    const onControl = e.target.tagName === "BUTTON" || e.target.tagName === "INPUT";
    if (onControl && (e.key === " " || e.key === "Enter")) return;  // the control's own click handles it
    const cmd = KEYS[e.key];
    if (!cmd || e.ctrlKey || e.metaKey || e.altKey) return;
    e.preventDefault();
    command(cmd);
  });

  model.on("change:view", draw);
  model.on("change:sound_on", draw);
  model.on("change:announcements", announce);
  model.on("msg:custom", (msg) => { if (msg && msg.cue) play(msg.cue); });
  draw();
  announce();
  return () => ticking(false);
}

export default { render };

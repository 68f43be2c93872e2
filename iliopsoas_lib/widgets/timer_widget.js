// Front end of the routine timer: plays the plan the kernel's model hands over.
//
// The kernel sends a plan on every change (a new routine, a command): the current phase, the time
// already spent in it, the phases ahead with their words and lengths, and the cue times. From then on
// this page counts down from its own monotonic clock (performance.now), redraws, speaks each phase change
// in the live region and schedules the cue tones ahead on the Web Audio clock, sending nothing: a late
// network, a dimmed screen or a lost kernel never stops a hold. It tells the kernel once when the routine
// ends, so the kernel's model confirms it from its own clock (and offers to log the session).
//
// A pause or resume takes effect here at once and goes to the kernel with the position the person saw,
// so it works with the connection down (the message goes when it returns) and both sides agree.
// The position is kept in localStorage, with the routine's signature, so a reload resumes it.

const KEYS = {
  " ": "toggle", k: "toggle", K: "toggle",
  ArrowRight: "skip", n: "skip", N: "skip",
  ArrowLeft: "back", p: "back", P: "back",
  r: "reset", R: "reset",
};
const STORE = "ilio-timer-position";
const FADE = 0.01;        // s of fade in and out, so a tone does not click
const MAX_TONES = 400;    // more than a whole routine's cues; a bound on audio nodes made at once
const REDRAW_MS = 250;

function make(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

// Seconds left as a countdown reads, as text.clock_text writes it: whole seconds rounded up, "0:45".
function clockText(seconds) {
  const whole = Math.max(0, Math.ceil(seconds - 1e-9));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

function readStored() {
  try { return JSON.parse(window.localStorage.getItem(STORE) || "null"); } catch (e) { return null; }
}

function writeStored(value) {
  try {
    if (value === null) window.localStorage.removeItem(STORE);
    else window.localStorage.setItem(STORE, JSON.stringify(value));
  } catch (e) { /* storage off (private mode): a reload starts again, nothing else changes */ }
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
  btn("ilio-timer-back", "◀ Back", "back", "ArrowLeft");
  const toggle = btn("ilio-timer-toggle", "Start", "toggle", "Space");
  btn("ilio-timer-skip", "Skip ▶", "skip", "ArrowRight");
  btn("ilio-timer-reset", "Reset", "reset", "R");

  const soundLabel = make("label", "ilio-timer-sound");
  const sound = make("input");
  sound.type = "checkbox";
  soundLabel.append(sound, " Sound cues");
  sound.addEventListener("change", () => {
    unlockAudio();
    model.set("sound_on", sound.checked);
    model.save_changes();
  });

  const help = make("div", "ilio-timer-help",
    "Keys: Space start/pause · → skip · ← back · R reset");
  const live = make("div", "ilio-timer-live");
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");

  root.append(title, detail, cue, countdown, bar, overall, next, buttons, soundLabel, help, live);
  el.appendChild(root);

  // -- the plan and where this page is in it ------------------------------------------------------
  let plan = { phases: [] };
  let pos = { status: "ready", index: 0, elapsed: 0, at: performance.now() };
  let sent = 0;            // messages sent to the kernel, numbered
  let changedHere = 0;     // number of the last message whose change this page made before any answer
  let spoken = null;       // "signature:index" of the phase last announced
  let counted = null;      // "signature:index:n" of the countdown number last marked
  let finishTold = false;  // the kernel has been told this plan reached its end
  let startedHere = false;
  let fromCommand = false; // the plan just taken answers a command: its phase change sounds now
  const restoreTried = new Set();

  const phaseAt = (i) => plan.phases[i - (plan.index || 0)] || {};
  const lastIndex = () => (plan.index || 0) + plan.phases.length - 1;

  // Where the page is now, by its own clock alone.
  function current(now = performance.now()) {
    let { status, index, elapsed } = pos;
    if (status === "running") {
      elapsed += (now - pos.at) / 1000;
      while (index < lastIndex() && elapsed >= phaseAt(index).seconds) {
        elapsed -= phaseAt(index).seconds;
        index += 1;
      }
      if (index >= lastIndex()) { index = lastIndex(); elapsed = 0; status = "done"; }
    }
    return { status, index, elapsed };
  }
  const routineTime = (c) => (phaseAt(c.index).start || 0) + c.elapsed;

  function send(cmd, extra = {}) {
    sent += 1;
    const c = current();
    model.send({ command: cmd, seq: sent, signature: plan.signature, index: c.index, elapsed: c.elapsed, ...extra });
    return sent;
  }

  function command(cmd) {
    unlockAudio();
    const c = current();
    if (cmd === "toggle") {
      cmd = { running: "pause", paused: "resume", ready: "start" }[c.status];
      if (!cmd) return;
    }
    if (cmd === "pause" || cmd === "resume") {
      if (c.status !== (cmd === "pause" ? "running" : "paused")) return;
      pos = { status: cmd === "pause" ? "paused" : "running", index: c.index, elapsed: c.elapsed, at: performance.now() };
      changedHere = send(cmd);
      keep(); schedule(); draw();
      return;
    }
    if (cmd === "start") startedHere = true;
    if (cmd === "reset") writeStored(null);
    send(cmd);
  }

  function adopt() {
    const p = model.get("plan") || {};
    if (!Array.isArray(p.phases) || !p.phases.length) return;
    if ((p.ack || 0) < changedHere) return;  // answers an older message: the newer change made here stands
    const was = current();
    if (p.signature !== plan.signature || p.status === "ready") {
      spoken = p.status === "ready" ? `${p.signature}:${p.index}` : null;
    }
    if (was.status === "ready" && p.status !== "ready") spoken = null;  // Start: say the first phase
    fromCommand = (p.ack || 0) > 0 && p.status !== "ready";
    plan = p;
    pos = { status: p.status, index: p.index, elapsed: p.elapsed, at: performance.now() };
    if (p.status === "running") finishTold = false;
    tryRestore();
    keep();
    schedule();
    draw();
    fromCommand = false;
  }

  // -- a reload resumes: the position lives in this browser only -----------------------------------
  function keep() {
    if (plan.empty || !plan.signature) return;
    const c = current();
    if (c.status === "done") writeStored(null);
    else if (c.status === "running" || c.status === "paused") {
      writeStored({ signature: plan.signature, status: c.status, index: c.index, elapsed: c.elapsed, saved: Date.now() });
    }
  }

  function tryRestore() {
    if (startedHere || plan.empty || plan.status !== "ready" || restoreTried.has(plan.signature)) return;
    restoreTried.add(plan.signature);
    const s = readStored();
    if (!s || s.signature !== plan.signature || !["running", "paused"].includes(s.status)) return;
    let elapsed = Number(s.elapsed) || 0;
    if (s.status === "running") elapsed += Math.max(0, (Date.now() - Number(s.saved)) / 1000) || 0;
    send("restore", { index: s.index, elapsed, running: s.status === "running" });
  }

  // -- sound: Web Audio tones scheduled ahead on the audio clock -----------------------------------
  let audio = null;
  let nodes = [];

  function unlockAudio() {  // called on a click or key: browsers only let sound start from a gesture
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) { try { audio = new Context(); } catch (e) { audio = null; } }
    if (audio && audio.state === "suspended") audio.resume().catch(() => {});
  }

  function silence() {
    for (const node of nodes) { try { node.stop(); } catch (e) { /* already stopped */ } }
    nodes = [];
  }

  function tone(name, when) {
    const t = (model.get("tones") || {})[name];
    if (!t || !audio || nodes.length >= MAX_TONES) return;
    const [hertz, seconds, volume] = t;
    try {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = hertz;
      gain.gain.setValueAtTime(0, when);
      gain.gain.linearRampToValueAtTime(volume, when + FADE);
      gain.gain.setValueAtTime(volume, when + seconds - FADE);
      gain.gain.linearRampToValueAtTime(0, when + seconds);
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(when);
      osc.stop(when + seconds);
      nodes.push(osc);
    } catch (e) { /* no audio device: cues are optional */ }
  }

  // Every cue still to come in this plan, at its time on the audio clock; old ones stopped first.
  function schedule() {
    silence();
    if (!audio || !model.get("sound_on")) return;
    const c = current();
    if (c.status !== "running") return;
    const planStart = (plan.phases[0].start || 0) + (plan.elapsed || 0);  // routine time of the plan's moment
    const ahead = planStart - routineTime(c);
    const base = audio.currentTime;
    for (const [at, name] of plan.cues || []) {
      const delay = ahead + at;
      if (delay > 0) tone(name, base + delay);
    }
  }

  // -- drawing, speaking, ending --------------------------------------------------------------------
  function say(words) {
    live.textContent = words || "";
    live.dataset.count = String(Number(live.dataset.count || 0) + 1);
  }

  function draw() {
    const c = current();
    const phase = phaseAt(c.index);
    root.dataset.status = c.status;
    root.dataset.kind = phase.kind || "";
    title.textContent = phase.title || "";
    detail.textContent = phase.detail || "";
    cue.textContent = phase.cue || "";
    const left = Math.max(0, (phase.seconds || 0) - c.elapsed);
    countdown.textContent = clockText(left);
    next.textContent = phase.next_up ? `Next: ${phase.next_up}` : "";
    const total = plan.total || 0;
    const done = Math.min(total, routineTime(c));
    overall.textContent = `Time left overall: ${clockText(total - done)}`;
    bar.value = total ? done / total : 1;
    toggle.textContent = c.status === "running" ? "Pause" : (c.status === "paused" ? "Resume" : "Start");
    toggle.disabled = c.status === "done";
    sound.checked = !!model.get("sound_on");

    const key = `${plan.signature}:${c.index}`;
    if (!plan.empty && c.status !== "ready" && key !== spoken) {
      spoken = key;
      const name = phase.kind === "done" ? "done" : "phase";
      root.dataset.lastCue = name;
      say(phase.say);
      if (fromCommand && audio && model.get("sound_on")) tone(name, audio.currentTime);
      keep();
    }
    if (c.status === "running" && phase.kind === "hold" && left > 0 && left <= 3) {
      const mark = `${key}:${Math.ceil(left)}`;
      if (mark !== counted) { counted = mark; root.dataset.lastCue = "count"; }
    }
    if (c.status === "done" && pos.status === "running") finish(c);
    ticking(c.status === "running");
  }

  function finish(c) {
    pos = { status: "done", index: c.index, elapsed: 0, at: performance.now() };
    writeStored(null);
    if (!finishTold) { finishTold = true; send("tick"); }
  }

  let interval = null;
  function ticking(on) {  // a local redraw only: nothing is sent
    if (on && interval === null) interval = setInterval(draw, REDRAW_MS);
    if (!on && interval !== null) { clearInterval(interval); interval = null; }
  }

  root.addEventListener("keydown", (e) => {
    const onControl = e.target.tagName === "BUTTON" || e.target.tagName === "INPUT";
    if (onControl && (e.key === " " || e.key === "Enter")) return;  // the control's own click handles it
    const cmd = KEYS[e.key];
    if (!cmd || e.ctrlKey || e.metaKey || e.altKey) return;
    e.preventDefault();
    command(cmd);
  });
  const onHide = () => keep();
  window.addEventListener("pagehide", onHide);

  model.on("change:plan", adopt);
  model.on("change:sound_on", () => { schedule(); draw(); });
  model.on("change:announcements", () => say(model.get("announcement")));
  say(model.get("announcement"));
  adopt();
  return () => { ticking(false); silence(); window.removeEventListener("pagehide", onHide); };
}

export default { render };

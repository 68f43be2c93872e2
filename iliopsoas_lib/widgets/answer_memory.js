// Front end of the answer memory: keeps named traits of other widgets in this browser's localStorage
// and puts them back once per page load, through those widgets' own models (so the kernel checks a
// restored answer exactly as it checks a click). Nothing here reaches the server but the restored
// answers themselves, as ordinary widget updates.

const restoredKeys = new Set();   // a key is restored once per page load, however many views
const startValues = new Map();    // key -> {name: value} as the page first showed them: "forget" goes back

function make(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

function clone(value) {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** The stored record, or {} when there is none or it cannot be read (never an error for the page). */
function readStore(key) {
  try {
    const data = JSON.parse(window.localStorage.getItem(key) || "{}");
    return data && typeof data === "object" && !Array.isArray(data) ? data : {};
  } catch (e) {
    return {};
  }
}

function writeStore(key, data) {
  try {
    if (data === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, JSON.stringify(data));
  } catch (e) { /* storage off or full (private browsing): the answers are simply not kept */ }
}

/** Whether a stored value has the shape of the value it would replace: anything else is ignored. */
function sameKind(stored, current) {
  if (typeof current === "boolean") return typeof stored === "boolean";
  if (typeof current === "number") return typeof stored === "number" && Number.isFinite(stored);
  if (typeof current === "string") return typeof stored === "string";
  if (current && typeof current === "object" && !Array.isArray(current)) {
    return !!stored && typeof stored === "object" && !Array.isArray(stored)
      && Object.values(stored).every((v) => typeof v === "string");
  }
  return false;
}

/** The widget model with this id, waiting a little for the page to create it. */
async function modelOf(manager, id, tries = 50) {
  for (let n = 0; ; n++) {
    try {
      return await manager.get_model(id);
    } catch (e) {
      if (n >= tries) throw e;
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}

function render({ model, el }) {
  const words = () => model.get("words") || {};
  const root = make("div", "ilio-memory");
  const note = make("p", "ilio-memory-note");
  const forget = make("button", "ilio-memory-forget");
  forget.type = "button";
  const said = make("p", "ilio-memory-status");
  said.setAttribute("role", "status");
  root.append(note, forget, said);
  el.appendChild(root);

  function label() {
    note.textContent = words().kept || "";
    forget.textContent = words().forget || "";
  }
  label();
  model.on("change:words", label);

  const key = model.get("key");
  const fields = Object.entries(model.get("fields") || {});
  const watched = [];  // [model, trait, listener], to let go when this view goes
  let ready = false;

  function values() {
    const out = {};
    for (const [name, target] of watched) out[name] = clone(target.model.get(target.trait));
    return out;
  }

  /** Store the answers as they are now; nothing at all while they are as the page started. */
  function save() {
    if (!ready) return;
    const now = values();
    const start = startValues.get(key) || {};
    const changed = Object.keys(now).some((name) => JSON.stringify(now[name]) !== JSON.stringify(start[name]));
    writeStore(key, changed ? now : null);
    root.dataset.stored = changed ? "yes" : "no";
  }

  async function setUp() {
    for (const [name, [id, trait]] of fields) {
      let target;
      try {
        target = await modelOf(model.widget_manager, id);
      } catch (e) {
        continue;  // a widget that never appeared: its answer is not kept
      }
      const listener = () => save();
      target.on(`change:${trait}`, listener);
      watched.push([name, { model: target, trait, listener }]);
    }
    if (!startValues.has(key)) startValues.set(key, values());
    if (!restoredKeys.has(key)) {
      restoredKeys.add(key);
      const stored = readStore(key);
      const restored = watched.filter(
        ([name, target]) => name in stored && sameKind(stored[name], target.model.get(target.trait)));
      if (restored.length) {
        // One batch: the kernel builds the routine once, at the end, not once per answer.
        model.send({ restore: "begin" });
        try {
          for (const [name, target] of restored) {
            target.model.set(target.trait, stored[name]);
            target.model.save_changes();  // the kernel checks it as it checks a click
          }
        } finally {
          // The visit's other keys go back too (the timer's place), so the kernel can put the timer
          // where it was before it builds the routine: one plan for a returning page, not two.
          const kept = {};
          for (const other of model.get("also_forget") || []) {
            try {
              const text = window.localStorage.getItem(other);
              if (text !== null) kept[other] = text;
            } catch (e) { /* storage off: nothing kept */ }
          }
          model.send({ restore: "end", kept, now: Date.now() });
        }
      }
    }
    ready = true;
    root.dataset.ready = "yes";
    save();
  }

  forget.addEventListener("click", () => {
    const start = startValues.get(key) || {};
    ready = false;  // no saving while the answers go back to the start
    for (const [name, target] of watched) {
      if (!(name in start)) continue;
      target.model.set(target.trait, clone(start[name]));
      target.model.save_changes();
    }
    writeStore(key, null);
    for (const other of model.get("also_forget") || []) writeStore(other, null);
    ready = true;
    root.dataset.stored = "no";
    said.textContent = words().forgotten || "";
  });

  setUp();
  return () => {
    for (const [, target] of watched) target.model.off(`change:${target.trait}`, target.listener);
  };
}

export default { render };

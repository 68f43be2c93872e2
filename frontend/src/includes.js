// Fills in the long fixed text the kernel sends as a placeholder (iliopsoas_lib/widgets/served_text.py):
// <div class="ilio-include" data-include="/iliopsoas/texts/<digest>.html">. The file is the markup the
// widget would otherwise have carried, named by its digest and cached for a year, so a returning phone
// reads it from its own cache. Only such paths on this server are fetched (served_text.SERVED_URL is the
// same pattern); a file that does not come (a 404 at once, else after three tries) is replaced by a plain
// message, never left blank.

import { INCLUDE_FAILED } from "./page-problem.js";

const INCLUDE = /^(\/[\w.~-]+)*\/iliopsoas\/texts\/[0-9a-f]{20}\.html$/;
const TRIES = 3;
const texts = new Map(); // path -> Promise<string>: each file asked for once per page

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function fetchText(path) {
  for (let attempt = 1; ; attempt += 1) {
    let status = 0; // no answer: offline, or cut off while the text came
    try {
      const answer = await fetch(path, { credentials: "same-origin" });
      status = answer.status;
      if (answer.ok) return await answer.text();
    } catch { /* asked again below */ }
    if (status === 404) throw new Error(`${path}: 404`); // asking again will not help
    if (attempt >= TRIES) throw new Error(`${path}: not loaded (${status || "no answer"})`);
    await sleep(1000 * attempt);
  }
}

function textOf(path) {
  if (!texts.has(path)) {
    const pending = fetchText(path);
    pending.catch(() => texts.delete(path)); // a later placeholder may try again
    texts.set(path, pending);
  }
  return texts.get(path);
}

async function fill(node) {
  const path = node.getAttribute("data-include") || "";
  node.removeAttribute("data-include");
  try {
    if (!INCLUDE.test(path)) throw new Error(`${path}: not a text of this server`);
    node.innerHTML = await textOf(path);
    node.removeAttribute("aria-busy");
  } catch (error) {
    console.error("A part of the page did not load", error);
    node.removeAttribute("aria-busy");
    const message = document.createElement("p");
    message.className = "ilio-include-failed";
    message.setAttribute("role", "alert");
    message.textContent = INCLUDE_FAILED;
    node.replaceChildren(message);
  }
}

function fillWithin(root) {
  if (!(root instanceof Element)) return;
  if (root.hasAttribute("data-include")) fill(root);
  for (const node of root.querySelectorAll("[data-include]")) fill(node);
}

/** Fill every placeholder on the page now and whenever a widget shows a new one. */
export function watchIncludes(root = document.body) {
  fillWithin(root);
  new MutationObserver((changes) => {
    for (const change of changes) for (const node of change.addedNodes) fillWithin(node);
  }).observe(root, { childList: true, subtree: true });
}

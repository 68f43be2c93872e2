// Plain words for a page that has not started: the connection notice (a widget) is not on the page yet
// when these are needed. The message is put into an alert region that is on the page from the start,
// so screen readers speak it.

/** Shown when the widgets are not on screen this long after the page's script runs. */
export const SLOW_MS = 10000;

export const PAGE_SLOW =
  "This page is taking a long time to load. Check that you are online. " +
  "If nothing shows soon, reload the page.";

export const PAGE_FAILED =
  "This page could not load. Check that you are online, then reload the page. " +
  "If it still does not load, try again in a few minutes.";

export const PAGE_EXPIRED = "This page has expired. Reload the page to start again.";

export const INCLUDE_FAILED =
  "This part of the page did not load. Reload the page before you stretch.";

function region() {
  let alert = document.getElementById("ilio-page-problem");
  if (!alert) {
    alert = document.createElement("p");
    alert.id = "ilio-page-problem";
    alert.setAttribute("role", "alert");
    alert.hidden = true;
    document.body.prepend(alert);
  }
  return alert;
}

/** Say what is wrong; `null` takes the message away (the page has come after all). */
export function showPageProblem(text) {
  const alert = region();
  alert.hidden = !text;
  alert.textContent = text || "";
}

/**
 * Watch a page that is starting: say so when it is slow, when the kernel connection gives up, or when
 * the server no longer has this page's kernel. Returns a function to call once the page is on screen.
 */
export function watchStart(kernel) {
  region();
  const slow = setTimeout(() => { if (region().hidden) showPageProblem(PAGE_SLOW); }, SLOW_MS);
  const onConnection = (_sender, status) => {
    if (status === "disconnected") showPageProblem(PAGE_FAILED);
  };
  const onStatus = (_sender, status) => {
    if (status === "dead") showPageProblem(PAGE_EXPIRED);
  };
  kernel.connectionStatusChanged.connect(onConnection);
  kernel.statusChanged.connect(onStatus);
  return () => {
    clearTimeout(slow);
    kernel.connectionStatusChanged.disconnect(onConnection);
    kernel.statusChanged.disconnect(onStatus);
    showPageProblem(null);
  };
}

// The dashboard page's front end: the page's Jupyter widgets, live on its kernel, and nothing else.
//
// Why not Voilà's own front end: it is a JupyterLab application (5.4 MB of scripts, 1.5 MB gzipped),
// about 7.7 s of download alone on a phone's throttled mobile link before the first question shows
// (issue 12). The dashboard needs only what this file puts together from the libraries that front end
// is made of: @jupyterlab/services' kernel connection, ipywidgets' widget manager and controls, and
// anywidget's runtime. Voilà still runs the notebook on the server and serves this page (the
// project's template, share/voila/templates/iliopsoas); only the browser side is ours.
//
// What the page holds when this runs (deferred, so after the server has finished the notebook):
// - `#jupyter-config-data`: Voilà's page config, with `baseUrl` and this visitor's `kernelId`;
// - one `<script type="application/vnd.voila.cell-output+json">` per output, in `#rendered_cells`.
// Each output is shown in place of its script: a widget view (the dashboard is one), or its plain text.
// A widget's own HTML is rendered by the widget (ipywidgets' HTML widget), exactly as under Voilà.

import { KernelConnection } from "@jupyterlab/services/lib/kernel/default";
import { ServerConnection } from "@jupyterlab/services/lib/serverconnection";
import { Widget } from "@lumino/widgets";

import { watchIncludes } from "./includes.js";
import { WidgetManager } from "./widget-manager.js";
import { PAGE_FAILED, showPageProblem, watchStart } from "./page-problem.js";

const OUTPUT_TYPE = "application/vnd.voila.cell-output+json";
const WIDGET_VIEW = "application/vnd.jupyter.widget-view+json";

/** Voilà's page config: the base URL and this visitor's kernel id. */
function pageConfig() {
  const node = document.getElementById("jupyter-config-data");
  return node ? JSON.parse(node.textContent || "{}") : {};
}

/** Show what the notebook printed, as text only: nothing in an output may run or load anything. */
function plainOutput(output) {
  const text = output.output_type === "error"
    ? `${output.ename}: ${output.evalue}`
    : (output.data && output.data["text/plain"]) || output.text || "";
  const pre = document.createElement("pre");
  pre.className = "ilio-plain-output";
  pre.textContent = Array.isArray(text) ? text.join("") : String(text);
  return pre;
}

/** Put one output where its script tag was. */
async function showOutput(manager, script) {
  const output = JSON.parse(script.textContent || "{}");
  const host = document.createElement("div");
  host.className = "ilio-output";
  script.replaceWith(host);
  const view = output.data && output.data[WIDGET_VIEW];
  if (!view) {
    host.append(plainOutput(output));
    return;
  }
  const model = await manager.get_model(view.model_id);
  const widgetView = await manager.create_view(model);
  Widget.attach(widgetView.luminoWidget, host);
}

/** Hide the loading note and show the page's outputs. */
function reveal() {
  const loading = document.getElementById("loading");
  if (loading) loading.remove();
  const cells = document.getElementById("rendered_cells");
  if (cells) cells.style.display = "";
}

async function start() {
  const config = pageConfig();
  if (!config.kernelId) {
    // Voilà could not run the notebook: its own error output is on the page already.
    reveal();
    return;
  }
  const serverSettings = ServerConnection.makeSettings({ baseUrl: config.baseUrl || "/" });
  const kernel = new KernelConnection({
    model: { id: config.kernelId, name: config.kernelName || "python3" },
    serverSettings,
    // Widget messages on the kernel's main shell, one at a time, as the dashboard's code expects (the
    // default would open a subshell thread for them: two more round trips on every visit).
    commsOverSubshells: "disabled",
  });
  const started = watchStart(kernel);
  watchIncludes();
  const manager = new WidgetManager(kernel);
  // Tests and the connection notice reach the kernel through a widget's model (model.widget_manager).
  window.iliopsoasPage = { kernel, manager };
  // The websocket open and the kernel's info in hand first: ipywidgets gives its one request for every
  // widget's state 4 s, which on a slow phone link must not be spent on the handshake.
  await kernel.info;
  await manager.restoreFromKernel();
  const scripts = [...document.querySelectorAll(`script[type="${OUTPUT_TYPE}"]`)];
  await Promise.all(scripts.map((script) => showOutput(manager, script)));
  started();
  reveal();
}

start().catch((error) => {
  console.error("The page could not start", error);
  reveal();
  showPageProblem(PAGE_FAILED);
});

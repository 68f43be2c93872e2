// ipywidgets' widget manager on one kernel connection: what Voilà's KernelWidgetManager does for the
// dashboard, without JupyterLab. It knows the three widget libraries the dashboard uses: ipywidgets'
// base and controls, and anywidget (every project widget with browser code is an anywidget).

import * as base from "@jupyter-widgets/base";
import { ManagerBase } from "@jupyter-widgets/base-manager";
import * as controls from "@jupyter-widgets/controls";
import anywidgetFactory from "anywidget";

const anywidget = anywidgetFactory(base);
const LIBRARIES = {
  "@jupyter-widgets/base": base,
  "@jupyter-widgets/controls": controls,
  anywidget,
};

export class WidgetManager extends ManagerBase {
  /** @param kernel a @jupyterlab/services KernelConnection */
  constructor(kernel) {
    super();
    this.kernel = kernel;
    // Widgets the kernel makes after the page has loaded (a routine's cards) open a comm to us.
    kernel.registerCommTarget(this.comm_target_name, async (comm, message) => {
      await this.handle_comm_open(new base.shims.services.Comm(comm), message);
    });
  }

  /** Every widget the kernel has: its state in one answer (ipywidgets' control comm). */
  async restoreFromKernel() {
    await this._loadFromKernel();
  }

  async loadClass(className, moduleName, moduleVersion) {
    const library = LIBRARIES[moduleName];
    const found = library && library[className];
    if (!found) {
      throw new Error(`Class ${className} not found in module ${moduleName}@${moduleVersion}`);
    }
    return found;
  }

  async _create_comm(targetName, modelId, data, metadata, buffers) {
    const comm = this.kernel.createComm(targetName, modelId);
    if (data || metadata) comm.open(data, metadata, buffers);
    return new base.shims.services.Comm(comm);
  }

  async _get_comm_info() {
    const reply = await this.kernel.requestCommInfo({ target_name: this.comm_target_name });
    if (reply.content.status !== "ok") throw new Error("The kernel did not list its widgets");
    return reply.content.comms;
  }
}

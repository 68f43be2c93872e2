// Tells the kernel the address of the page it is shown on (no query, no #fragment), once, so the
// clinicians' panel can make a link to this same dashboard. The kernel checks what it gets: a page's
// messages can be forged, and the address is only ever shown back to the person on this page.
function render({ model }) {
  const here = window.location.origin + window.location.pathname;
  if (model.get("address") !== here) {
    model.set("address", here);
    model.save_changes();
  }
}

export default { render };

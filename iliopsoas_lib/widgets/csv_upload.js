// See csv_upload.py. Text goes in through textContent only.
function render({ model, el }) {
  const input = document.createElement("input");
  input.type = "file";
  input.accept = model.get("accept");
  input.hidden = true;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "ilio-upload";
  button.textContent = model.get("label");
  button.addEventListener("click", () => input.click());
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    const about = { name: file.name, size: file.size };
    try {
      if (file.size > model.get("max_bytes")) model.send({ event: "refused", ...about });
      else model.send({ event: "file", ...about }, undefined, [await file.arrayBuffer()]);
    } catch (error) {
      model.send({ event: "unreadable", ...about });
    } finally {
      input.value = "";
    }
  });
  el.append(button, input);
  model.send({ event: "shown" });
}
export default { render };

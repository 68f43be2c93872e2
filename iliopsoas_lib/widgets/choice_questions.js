// Radio groups for the health and dose questions: one fieldset per question, nothing preselected.
// Text goes in through textContent and text nodes only, never innerHTML: questions come from content
// files, which a clinician can supply.
let made = 0;

function render({ model, el }) {
  const group = `ilio-choice-${++made}-${Math.random().toString(36).slice(2, 8)}`;
  const root = document.createElement("div");
  root.className = "ilio-choices";
  el.appendChild(root);
  let inputs = [];

  function choose(id, value) {
    model.set("answers", { ...(model.get("answers") || {}), [id]: value });
    model.save_changes();
  }

  function build() {
    root.replaceChildren();
    inputs = [];
    (model.get("questions") || []).forEach((question, n) => {
      const box = document.createElement("fieldset");
      box.className = "ilio-choice";
      box.dataset.id = question.id;
      const legend = document.createElement("legend");
      legend.textContent = question.text;
      const options = document.createElement("div");
      options.className = "ilio-choice-options";
      for (const [value, label] of question.options) {
        const option = document.createElement("label");
        option.className = "ilio-choice-option";
        const input = document.createElement("input");
        input.type = "radio";
        input.name = `${group}-${n}`;
        input.value = value;
        input.dataset.question = question.id;
        input.addEventListener("change", () => { if (input.checked) choose(question.id, value); });
        option.append(input, document.createTextNode(` ${label}`));
        options.appendChild(option);
        inputs.push(input);
      }
      box.append(legend, options);
      root.appendChild(box);
    });
    draw();
  }

  function draw() {
    const answers = model.get("answers") || {};
    for (const input of inputs) {
      const id = input.dataset.question;
      input.checked = answers[id] === input.value;
      input.closest("fieldset").dataset.answered = id in answers ? "yes" : "no";
    }
  }

  // The page's box is found only once this view is on the page, which may be a few frames away.
  function mark(tries) {
    const landmark = model.get("main_landmark");
    if (!landmark) return;
    const page = el.closest(`.${landmark}`);
    if (page) { if (!page.hasAttribute("role")) page.setAttribute("role", "main"); return; }
    if (tries > 0) setTimeout(() => mark(tries - 1), 100);
  }

  model.on("change:questions", build);
  model.on("change:answers", draw);
  model.on("change:main_landmark", () => mark(50));
  build();
  mark(50);
}

export default { render };

"""Questions answered by picking one option each (Yes / No), as real radio groups a screen reader names.

ipywidgets 8's ``ToggleButtons`` and ``RadioButtons`` accept "nothing chosen yet" (``value=None``), but
tried in Chromium neither is usable without sight: the question is a label tied to no control, so a
screen reader says only "Yes, button" or "Yes, radio button" nine times over; the toggle buttons do not
say which one is pressed; the radio buttons share no ``name``, so they are not one group for the arrow
keys. Here each question is a ``<fieldset>`` whose ``<legend>`` is the question, with one native radio
per option: the question is the group's accessible name, the arrow keys move between its options, and
nothing is chosen until the person chooses.

The browser only reports choices; the kernel keeps the answers (``answers``) and refuses anything that
is not one of the offered options, since a page's messages can be forged. Answers restored from the
browser's storage after a reload (:mod:`.answer_memory`) arrive the same way and meet the same check.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import anywidget
import traitlets

_HERE = Path(__file__).parent

# The browser side. Text goes in through textContent and text nodes only, never innerHTML: questions
# come from content files, which a clinician can supply.
_ESM = """
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
"""


class ChoiceQuestions(anywidget.AnyWidget):
    """One radio group per question; ``answers`` maps a question id to the chosen option's value.

    A question with no entry in ``answers`` is unanswered: nothing is preselected unless ``answers``
    says so (the dose question starts on the usual dose; the health questions start empty).
    """

    _esm = _ESM
    _css = _HERE / "choice_questions.css"

    questions = traitlets.List(traitlets.Dict()).tag(sync=True)
    answers = traitlets.Dict().tag(sync=True)
    #: The CSS class of an ancestor to mark as the page's ``main`` landmark (the dashboard's own box):
    #: ipywidgets gives a box no way to set a role, and a landmark lets a screen reader jump to the app.
    main_landmark = traitlets.Unicode("").tag(sync=True)

    def __init__(
        self,
        questions: Sequence[tuple[str, str]],
        options: Sequence[tuple[str, str]],
        answers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        """``questions`` as (id, text) pairs; ``options`` as (value, label) pairs, the same for each."""
        offered = [[value, label] for value, label in options]
        self._allowed = {value for value, _label in options}
        self._ids = [question_id for question_id, _text in questions]
        super().__init__(
            questions=[{"id": qid, "text": text, "options": offered} for qid, text in questions], **kwargs
        )
        self.answers = dict(answers or {})

    @traitlets.validate("answers")
    def _only_offered_answers(self, proposal: dict[str, Any]) -> dict[str, str]:
        """Keep only answers to questions asked, with an offered option: anything else is dropped.

        A question whose new answer is not offered keeps the answer it had, so a forged message or an
        unreadable answer restored from the browser's storage changes nothing rather than blanking it.
        """
        ids = set(getattr(self, "_ids", ()))
        allowed = getattr(self, "_allowed", set())
        # The last accepted answers, not the trait's stored value: under hold_trait_notifications (as in
        # ipywidgets' set_state, the path of every browser update) that already holds the raw proposal.
        before = getattr(self, "_accepted", {})
        kept = {}
        for question_id, value in dict(proposal["value"]).items():
            if question_id not in ids:
                continue
            if isinstance(value, str) and value in allowed:
                kept[question_id] = value
            elif question_id in before:
                kept[question_id] = before[question_id]
        self._accepted = dict(kept)
        return kept

    @property
    def ids(self) -> list[str]:
        """The question ids, in the order they are asked."""
        return list(self._ids)

    @property
    def complete(self) -> bool:
        """Whether every question has an answer."""
        return all(question_id in self.answers for question_id in self._ids)

    def set_answer(self, question_id: str, value: str | None) -> None:
        """Answer one question from code (as a click does); None takes the answer back."""
        self.set_answers({question_id: value})

    def set_answers(self, answers: Mapping[str, str | None]) -> None:
        """Answer several questions in one change, so views following the answers update once."""
        unknown = sorted(set(answers) - set(self._ids))
        if unknown:
            raise ValueError(f"unknown question(s) {unknown}; known: {', '.join(self._ids)}")
        bad = {k: v for k, v in answers.items() if v is not None and v not in self._allowed}
        if bad:
            raise ValueError(f"not an offered answer: {bad}; offered: {', '.join(sorted(self._allowed))}")
        new = {k: v for k, v in self.answers.items() if k not in answers}
        new.update({k: v for k, v in answers.items() if v is not None})
        self.answers = new

    def __repr__(self) -> str:
        return f"Questions: {len(self.answers)} of {len(self._ids)} answered"

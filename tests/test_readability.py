"""Patient text reads at Flesch-Kincaid grade 7 or below: the dashboard, every stretch, the handout.

Measured with textstat 0.7.3 (a test dependency; it works offline). Lists, headings and table cells
have no full stop of their own, and textstat would read a whole list as one endless sentence, so each
fragment is closed as a sentence before it is measured (:func:`as_sentences`). The references list is
left out: a bibliography is not prose a patient reads for instructions.

``python tests/test_readability.py`` prints the table of grades that the issue notes quote.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterable
from pathlib import Path

import pytest
import textstat

import iliopsoas_lib as il
from iliopsoas_lib import routine_words

#: The highest Flesch-Kincaid grade patient text may read at.
MAX_GRADE = 7.0


def as_sentences(fragments: Iterable[str]) -> str:
    """Fragments (list items, headings, table cells) joined as sentences, each closed by punctuation."""
    out = []
    for fragment in fragments:
        line = re.sub(r"\s+", " ", fragment).strip(" -*•")
        if not re.search(r"[A-Za-z]", line):
            continue
        out.append(line if line[-1] in ".?!:" else f"{line}.")
    return " ".join(out)


def grade(fragments: Iterable[str]) -> float:
    return float(textstat.flesch_kincaid_grade(as_sentences(fragments)))


def html_fragments(markup: str) -> list[str]:
    """The text of an HTML fragment, split where a block (paragraph, list item, heading) ends."""
    markup = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", markup, flags=re.S | re.I)
    blocks = re.split(r"</?(?:p|li|h[1-6]|div|ol|ul|tr|td|th|br|section|summary)[^>]*>", markup, flags=re.I)
    return [html.unescape(re.sub(r"<[^>]+>", " ", block)) for block in blocks]


def stretch_fragments(stretch, routine_item=None) -> dict[str, list[str]]:
    """What a patient reads of one stretch: its steps (with the dose filled in) and its cautions."""
    steps = routine_item.steps() if routine_item is not None else routine_words.steps_text(stretch)
    cautions = [c.text for c in stretch.cautions] + [stretch.on_pain.text]
    cautions += [rule.reason for rule in stretch.limits] + [m.text for m in stretch.mistakes]
    cautions += [stretch.feel.text, stretch.not_feel.text, stretch.get_in_out.text, stretch.cue]
    return {"steps": [stretch.summary, *steps], "cautions": cautions}


def dashboard_text(dashboard) -> list[str]:
    """The words a visitor can read on the dashboard, clinicians' part and references aside."""
    import ipywidgets as widgets

    out: list[str] = []

    def walk(widget: widgets.Widget) -> None:
        if widget is dashboard.clinic or "ilio-references" in getattr(widget, "_dom_classes", ()):
            return
        if isinstance(widget, widgets.HTML | widgets.Label | widgets.HTMLMath):
            out.extend(html_fragments(widget.value))
        description = getattr(widget, "description", "")
        if isinstance(description, str) and description:
            out.append(description)
        out.extend(str(option) for option in getattr(widget, "_options_labels", ()) or ())
        for question in getattr(widget, "questions", ()) or ():  # the health questions (ChoiceQuestions)
            out.extend([question["text"], *(label for _value, label in question["options"])])
        for child in getattr(widget, "children", ()) or ():
            walk(child)

    walk(dashboard)
    return out


def every_answer() -> il.Abilities:
    """Someone who can do every stretch and answered "no" to every health question: the longest page."""
    from iliopsoas_lib.routine import ABILITY_FIELDS

    return il.Abilities(**dict.fromkeys(ABILITY_FIELDS, True), conditions=frozenset())


@pytest.mark.parametrize("stretch_id", list(il.load_catalog().stretches))
def test_each_stretchs_steps_and_cautions_read_at_grade_7_or_below(catalog, stretch_id):
    for part, fragments in stretch_fragments(catalog.stretch(stretch_id)).items():
        assert grade(fragments) <= MAX_GRADE, f"{stretch_id} {part}: grade {grade(fragments):.1f}"


def test_safety_content_reads_at_grade_7_or_below(catalog):
    flags = catalog.red_flags.values()
    parts = {
        "red flags": [f for fl in flags for f in (fl.title, fl.intro, *fl.sign_texts, fl.action)],
        "health questions": [f for s in catalog.screenings.values() for f in (s.question, s.advice)],
        "glossary": [t.meaning for t in catalog.glossary.values()],
        "plain muscle facts": [m.plain.text for m in catalog.muscles.values() if m.plain],
        "guidelines": [f for g in catalog.guidelines.values() for f in (g.title, g.text)],
    }
    for part, fragments in parts.items():
        assert fragments, part
        assert grade(fragments) <= MAX_GRADE, f"{part}: grade {grade(fragments):.1f}"


def test_the_dashboard_reads_at_grade_7_or_below(catalog):
    from iliopsoas_lib.widgets import dashboard

    page = dashboard(catalog)
    before = dashboard_text(page)  # the first screen: nothing answered
    for screening in catalog.screenings.values():  # the health questions are read too
        assert screening.question in before
    assert grade(before) <= MAX_GRADE, f"first screen: grade {grade(before):.1f}"
    answer_everything(page)
    after = dashboard_text(page)
    assert len(" ".join(after)) > 2 * len(" ".join(before))  # the routine's cards are really there
    assert grade(after) <= MAX_GRADE, f"with a routine: grade {grade(after):.1f}"


def answer_everything(page) -> None:
    """Every ability ticked, "No" to every health question, every part opened: the longest page."""
    page.picker.answer(**dict.fromkeys(page.picker.boxes, True))
    page.picker.answer_health()
    assert len(page.picker.routine.items) == len(page.catalog.stretches)
    page.stretches.expand()
    page.muscles.expand()


def handout_text(catalog) -> list[str]:
    from pypdf import PdfReader

    from iliopsoas_lib.documents.handout import make_handout

    pdf = make_handout(il.build_routine(catalog, every_answer()), catalog, patient_name="")
    words = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return words.split("References")[0].splitlines()


def test_the_handout_reads_at_grade_7_or_below(catalog):
    lines = handout_text(catalog)
    assert len(lines) > 50
    assert grade(lines) <= MAX_GRADE, f"handout: grade {grade(lines):.1f}"


def grade_table(catalog) -> list[tuple[str, float]]:
    """Every patient surface and its grade, for the issue notes."""
    from iliopsoas_lib.widgets import dashboard

    rows = []
    for stretch in catalog.stretches.values():
        for part, fragments in stretch_fragments(stretch).items():
            rows.append((f"{stretch.name}: {part}", grade(fragments)))
    flags = [f for fl in catalog.red_flags.values() for f in (fl.title, fl.intro, *fl.sign_texts, fl.action)]
    rows.append(("red flags", grade(flags)))
    questions = [f for s in catalog.screenings.values() for f in (s.question, s.advice)]
    rows.append(("health questions", grade(questions)))
    page = dashboard(catalog)
    rows.append(("dashboard, first screen", grade(dashboard_text(page))))
    answer_everything(page)
    rows.append(("dashboard, with all five stretches", grade(dashboard_text(page))))
    rows.append(("handout (all five stretches)", grade(handout_text(catalog))))
    return rows


if __name__ == "__main__":
    for name, value in grade_table(il.load_catalog()):
        print(f"| {name} | {value:.1f} |")


def page_script_words() -> list[str]:
    """What the dashboard page itself says before its widgets come: its loading note and what it says
    when it cannot start (frontend/src/page-problem.js), with the template's words."""
    root = Path(__file__).resolve().parents[1]
    script = (root / "frontend" / "src" / "page-problem.js").read_text(encoding="utf-8")
    said = []
    for body in re.findall(r"export const (?:PAGE|INCLUDE)_\w+ =\s*((?:\"[^\"]*\"\s*\+?\s*)+);", script):
        said.append("".join(re.findall(r"\"([^\"]*)\"", body)))
    template = root / "iliopsoas_lib" / "server" / "share" / "voila" / "templates" / "iliopsoas"
    page = (template / "index.html.j2").read_text(encoding="utf-8")
    said += [html.unescape(t) for t in re.findall(r"<(?:p|noscript><p)[^>]*>([^<{]+)</p>", page)]
    return said


def test_what_the_page_says_before_its_widgets_come_reads_at_grade_7_or_below() -> None:
    said = page_script_words()
    assert len(said) >= 6, said  # four problems, the loading note and the no-JavaScript note
    assert grade(said) <= MAX_GRADE, f"grade {grade(said):.1f}: {said}"

"""Small pieces every view shares: the one way views share state (:func:`follow`, :func:`link_routine`),
a message area, safe callbacks, figures as images, Markdown as HTML, download links.

Views never let an exception reach the page: a visitor of the shared dashboard is not a programmer,
so a failed action shows a plain message in the view's message area and the log keeps the details.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import ipywidgets as widgets

from ..limits import Limit
from ..presentation.text import to_html
from .browser_code import picture_src

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    import traitlets

    from ..routine import Routine

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])


class MessageArea(widgets.HTML):
    """A visible, screen-reader-announced line for errors and confirmations."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_class("ilio-message")

    def ok(self, text: str) -> None:
        self.value = f'<div role="status" class="ilio-ok">{html.escape(text)}</div>'

    def error(self, text: str) -> None:
        self.value = f'<div role="alert" class="ilio-error">{html.escape(text)}</div>'

    def clear(self) -> None:
        self.value = ""

    @property
    def text(self) -> str:
        """The message as plain text (for tests and notebooks)."""
        return html.unescape(re.sub(r"<[^>]+>", "", self.value))


def guarded(area: MessageArea | Callable[[], MessageArea], doing: str) -> Callable[[F], F]:
    """Run a callback so that any failure becomes a plain message in ``area``, never a traceback.

    ``area`` may be a function that gives the area, for a view that makes its area only when there is
    something to say.

    Expected errors (ValueError and its kin: bad upload, unsafe dose) show their own message, which
    the model writes for people; anything else shows a generic apology and is logged for the operator.
    """

    def wrap(func: F) -> F:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except (ValueError, KeyError) as error:
                _area(area).error(f"Could not {doing}: {error}")
            except Exception:
                log.exception("failed to %s", doing)
                _area(area).error(f"Sorry, something went wrong while trying to {doing}. Please try again.")
            return None

        return run  # type: ignore[return-value]

    return wrap


def _area(area: MessageArea | Callable[[], MessageArea]) -> MessageArea:
    return area if isinstance(area, MessageArea) else area()


def html_block(markup: str, css_class: str | None = None) -> widgets.HTML:
    """A run of fixed text as one HTML widget (``markup`` already escaped), with an optional CSS class.

    A page keeps its fixed words (a heading, its help line, a box of advice) in as few widgets as it can:
    each widget is a model that Voilà sends to the page when it opens.
    """
    block = widgets.HTML(value=markup)
    if css_class:
        block.add_class(css_class)
    return block


def markdown_html(markdown: str, css_class: str = "ilio-text") -> widgets.HTML:
    """An HTML widget showing Markdown (escaped), styled by the dashboard's CSS class."""
    box = widgets.HTML(value=to_html(markdown))
    box.add_class(css_class)
    return box


class FigureBox(widgets.HTML):
    """A figure as an ``<img>`` with alt text, so a screen reader says what the picture shows."""

    def __init__(self, png: bytes = b"", alt: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_class("ilio-figure")
        self.alt = ""
        if png:
            self.show(png, alt)

    def show(self, png: bytes, alt: str) -> None:
        """Replace the picture in place (the page keeps its place and no new widget is created)."""
        self.alt = alt
        self.value = figure_html(png, alt)


def figure_html(png: bytes, alt: str) -> str:
    """A picture as an ``<img>`` with its alt text: a served file's URL under the public server, else
    the picture itself as a ``data:`` URL (:func:`~iliopsoas_lib.widgets.browser_code.picture_src`)."""
    return (
        f'<img src="{html.escape(picture_src(png), quote=True)}" '
        f'alt="{html.escape(alt, quote=True)}" loading="lazy" decoding="async" '
        'style="max-width:100%;height:auto">'
    )


class ShowsRoutine(Protocol):
    """A view that can be handed a new routine: the timer, the cards, the log, the dosage calculator and
    the clinicians' panel."""

    def set_routine(self, routine: Routine) -> None: ...


def follow(
    source: traitlets.HasTraits,
    trait: str,
    *followers: Callable[[Any], object],
    value_of: Callable[[Any], Any] = lambda value: value,
    now: bool = True,
) -> None:
    """The one way widgets share state: call each follower with ``value_of(source.<trait>)`` now (unless
    ``now=False``) and whenever that value changes.

    As the jupyter-widgets tutorial links views to a model, the source publishes what it knows on a
    trait and never learns who follows it; whoever puts the views together (the dashboard, the
    clinicians' panel) links them here. So every flow of state between widgets is a call to this
    function (or to :func:`link_routine`, made of it) and can be found by its name; ``tests/test_wiring.py``
    checks that no widget observes another one any other way. A view still listens to the controls it
    made itself (its own tick box, its own number box): that is its own event wiring, not sharing.

    ``value_of`` picks what the followers need from the trait (a plan's routine, how many routines a
    timer finished); they are called only when that changes, so a source that republishes the same value
    (the timer's plan after every command) does not call them again.
    """

    def changed(change: dict[str, Any]) -> None:
        old, new = value_of(change["old"]), value_of(change["new"])
        if old is new or _same(old, new):
            return
        for call in followers:
            call(new)

    if now:
        value = value_of(getattr(source, trait))
        for call in followers:
            call(value)
    source.observe(changed, trait)


def _same(old: Any, new: Any) -> bool:
    """Whether two values are equal, as traitlets itself decides (a value that cannot say is not)."""
    try:
        return bool(old == new)
    except Exception:  # e.g. arrays: an ambiguous truth value
        return False


def link_routine(
    source: traitlets.HasTraits,
    trait: str,
    routine_of: Callable[[Any], Routine | None],
    views: tuple[ShowsRoutine, ...],
) -> None:
    """Show ``routine_of(source.<trait>)`` in each view now and after every change of that trait.

    :func:`follow` for the state most views share, the routine (answers -> routine -> timer, cards and
    log; dose -> timer): each view takes it through its ``set_routine``. A value that gives no routine
    (a dose that could not be worked out) leaves the views as they were.
    """

    def show(routine: Routine | None) -> None:
        if routine is not None:
            for view in views:
                view.set_routine(routine)

    follow(source, trait, show, value_of=routine_of)


def download_link(data: bytes, filename: str, mime: str, label: str, css_class: str) -> str:
    """An ``<a download>`` link that holds the file itself (a data URL), so no server file is written.

    What the shared dashboard needs: a visitor's log, handout or plan goes to their own browser only.
    ``mime`` may carry parameters, e.g. ``"text/csv;charset=utf-8"``.
    """
    import base64

    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<a class="{html.escape(css_class, quote=True)}" download="{html.escape(filename, quote=True)}" '
        f'href="data:{mime};base64,{encoded}">{html.escape(label)}</a>'
    )


def widget_tree(root: widgets.Widget) -> Iterator[widgets.Widget]:
    """``root`` and every widget shown under it (through ``children``), parents first."""
    yield root
    for child in getattr(root, "children", ()) or ():
        yield from widget_tree(child)


def share_looks(root: widgets.Widget) -> int:
    """Make the widgets under ``root`` that look alike share one Layout (and one Style) model.

    ipywidgets gives every widget a Layout and a Style model of its own, and Voilà sends every model to
    the page when it opens: a Layout is about 1 KB of empty fields, and on the dashboard these copies
    were half of what a phone received. Looks with the same settings become one model; the copies that
    no widget uses any more are closed, so they are never sent. Returns how many were closed.

    Call it once the page is built and before it is shown. After it, a widget's look is shared: to change
    one widget, give it a ``Layout`` of its own, never edit ``widget.layout`` in place.
    """
    first: dict[tuple[type, str], widgets.Widget] = {}
    replaced: list[widgets.Widget] = []
    for widget in widget_tree(root):
        for name in ("layout", "style"):
            look = getattr(widget, name, None) if widget.has_trait(name) else None
            if not isinstance(look, widgets.Widget):
                continue
            key = (type(look), json.dumps(look.get_state(), sort_keys=True, default=str))
            kept = first.setdefault(key, look)
            if kept is not look:
                setattr(widget, name, kept)
                replaced.append(look)
    in_use = {id(getattr(w, n, None)) for w in _live_widgets() for n in ("layout", "style")}
    unused = {id(look): look for look in replaced if id(look) not in in_use}
    for look in unused.values():
        look.close()
    return len(unused)


def _live_widgets() -> list[widgets.Widget]:
    """Every widget model the kernel holds (and would send to a page): ipywidgets keeps them by id."""
    from ipywidgets.widgets import widget as widget_module

    return list(widget_module._instances.values())


def heading(text: str, level: int = 2) -> widgets.HTML:
    """A real HTML heading, so screen-reader users can jump between the page's parts."""
    return widgets.HTML(value=f"<h{level}>{html.escape(text)}</h{level}>")


class LazySection(widgets.VBox):
    """A part of the page built only when the visitor opens it.

    Keeps the first page light (fewer widgets and pictures to send, so it is usable sooner) while every
    part stays one click away. ``build`` is called once, on the first open.
    """

    def __init__(self, label: str, build: Callable[[], widgets.Widget], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.label = label
        self._build = build
        self.content: widgets.Widget | None = None
        # Its size comes from the dashboard's CSS (.ilio-section-toggle), not a Layout model of its own.
        self.toggle = widgets.ToggleButton(value=False, description=f"Show {label}")
        self.toggle.add_class("ilio-section-toggle")
        #: Says why the section could not be shown; made only then (one model less for every page).
        self.message: MessageArea | None = None
        self.toggle.observe(guarded(self._message_area, f"show {label}")(self._toggled), "value")
        self.children = [self.toggle]
        self.add_class("ilio-lazy-section")

    def expand(self) -> widgets.Widget:
        """Open the section (building it the first time) and return its content."""
        self.toggle.value = True
        assert self.content is not None
        return self.content

    def _toggled(self, change: dict[str, Any]) -> None:
        if change["new"] and self.content is None:
            self.content = self._build()
        self.toggle.description = f"{'Hide' if change['new'] else 'Show'} {self.label}"
        shown = [self.content] if change["new"] and self.content is not None else []
        self.children = [self.toggle, *([self.message] if self.message is not None else []), *shown]

    def _message_area(self) -> MessageArea:
        if self.message is None:
            self.message = MessageArea()
            self.children = [self.toggle, self.message, *self.children[1:]]
        return self.message


def number_box(
    limit: Limit, description: str, value: int | None = None, **more: Any
) -> widgets.BoundedIntText:
    """A whole-number box bounded by one of the limits (``limits.py``), so a panel cannot offer a number
    the check would refuse."""
    box = widgets.BoundedIntText(min=limit.low, max=limit.high, description=description, **more)
    if value is not None:
        box.value = value
    return box

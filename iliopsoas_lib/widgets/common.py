"""Small pieces every view shares: a message area, safe callbacks, figures as images, Markdown as HTML,
download links.

Views never let an exception reach the page: a visitor of the shared dashboard is not a programmer,
so a failed action shows a plain message in the view's message area and the log keeps the details.
"""

from __future__ import annotations

import functools
import html
import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import ipywidgets as widgets

from ..text import to_html

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


def guarded(area: MessageArea, doing: str) -> Callable[[F], F]:
    """Run a callback so that any failure becomes a plain message in ``area``, never a traceback.

    Expected errors (ValueError and its kin: bad upload, unsafe dose) show their own message, which
    the model writes for people; anything else shows a generic apology and is logged for the operator.
    """

    def wrap(func: F) -> F:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except (ValueError, KeyError) as error:
                area.error(f"Could not {doing}: {error}")
            except Exception:
                log.exception("failed to %s", doing)
                area.error(f"Sorry, something went wrong while trying to {doing}. Please try again.")
            return None

        return run  # type: ignore[return-value]

    return wrap


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
        import base64

        self.alt = alt
        data = base64.b64encode(png).decode("ascii")
        self.value = (
            f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
            'style="max-width:100%;height:auto">'
        )


class ShowsRoutine(Protocol):
    """A view that can be handed a new routine: the timer, the dosage calculator, the clinicians' panel."""

    def set_routine(self, routine: Routine) -> None: ...


def link_routine(
    source: traitlets.HasTraits,
    trait: str,
    routine_of: Callable[[Any], Routine | None],
    views: tuple[ShowsRoutine, ...],
) -> None:
    """Show ``routine_of(source.<trait>)`` in each view now and after every change of that trait.

    The one way views are kept in step (answers -> routine -> timer, dose -> timer), as the jupyter-widgets
    tutorial links views to a model: the source never learns what the views are. A value that gives no
    routine (a dose that could not be worked out) leaves the views as they were.
    """

    def show(value: Any) -> None:
        routine = routine_of(value)
        if routine is not None:
            for view in views:
                view.set_routine(routine)

    show(getattr(source, trait))
    source.observe(lambda change: show(change["new"]), trait)


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
        self.toggle = widgets.ToggleButton(
            value=False, description=f"Show {label}", layout=widgets.Layout(width="auto", min_height="2.5rem")
        )
        self.toggle.add_class("ilio-section-toggle")
        self.message = MessageArea()
        self.toggle.observe(guarded(self.message, f"show {label}")(self._toggled), "value")
        self.children = [self.toggle, self.message]
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
        self.children = [self.toggle, self.message, *shown]

"""Figures for the course pages: a Matplotlib figure as an inline SVG string.

Lesson pages print figures while the site is built (markdown-exec blocks with
``html="true"``)::

    from minml.plot import svg
    print(svg(fig))

The SVG is self-contained (text drawn as paths, no external fonts or files), carries
no timestamp, and scales down to the page.
"""

from __future__ import annotations

import io

__all__ = ["svg"]


def svg(fig, *, close: bool = True) -> str:
    """The figure ``fig`` as an ``<svg>`` element to print into an HTML page.

    The XML prologue is dropped and the element gets the class ``minml-figure`` (the
    site's stylesheet scales it to the column). ``close`` closes the figure afterwards,
    so a page drawing many figures does not accumulate them.
    """
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    if close:
        plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :].replace("<svg", '<svg class="minml-figure"', 1)

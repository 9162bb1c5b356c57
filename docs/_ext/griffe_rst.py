"""A griffe extension for the API reference: minml's reST-flavoured docstrings read as Markdown.

The docstrings are free-form prose written for ``help()`` and Sphinx habits: cross-reference roles
(``:func:`minml.tensor```) and literal blocks introduced by ``::``. Markdown shows both verbatim, so
this rewrites them before rendering: a role becomes inline code, ``text::`` becomes ``text:``
(the indented block after it is already a Markdown code block). Only the rendered copy changes.
"""

from __future__ import annotations

import re

import griffe

ROLE = re.compile(r":(?:py:)?(?:func|class|mod|meth|attr|data|exc|obj|const):`~?([^`]+)`")
LITERAL_MARKER = re.compile(r"(\S)::$", re.MULTILINE)  # "text::" at the end of a line
LONE_MARKER = re.compile(r"^\s*::$", re.MULTILINE)  # "::" alone on its line


def markdown_of(text: str) -> str:
    text = ROLE.sub(r"`\1`", text)
    text = LITERAL_MARKER.sub(r"\1:", text)
    return LONE_MARKER.sub("", text)


class RestToMarkdown(griffe.Extension):
    """Rewrite each object's docstring as it is loaded."""

    def on_object(self, *, obj: griffe.Object, **kwargs) -> None:
        if obj.docstring is not None:
            obj.docstring.value = markdown_of(obj.docstring.value)

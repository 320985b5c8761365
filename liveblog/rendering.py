"""Markdown to safe HTML: the one function that turns an editor's text into what
readers see.  Its output is stored once per revision, never rendered per request.

Two layers: Python-Markdown is configured to treat raw HTML as text, and nh3
then keeps only an explicit allowlist of tags, attributes and URL schemes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "del", "a", "ul", "ol", "li", "blockquote",
    "code", "pre", "h3", "h4", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
LINK_REL = "nofollow noopener ugc"
_LINK_SCHEMES = {"https", "http", "mailto"}


class _HeadingsFromH3(Treeprocessor):
    """An update sits under the article's h1 and the page's h2: `#` becomes h3,
    every deeper heading h4."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                element.tag = "h3" if element.tag == "h1" else "h4"


class _LivedeskMarkdown(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (API name)
        # Raw HTML in the text is shown as text, never passed through.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_HeadingsFromH3(md), "livedesk_headings", 5)


# C0 control characters but tab, newline and carriage return, and DEL: never
# meant in text, invisible to readers, and NUL is refused by PostgreSQL text.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control_characters(text: str) -> str:
    """Text without control characters (keeps tabs and line breaks)."""
    return _CONTROL_CHARACTERS.sub("", text)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        # Images only over https: no mixed content, no data: or tracking tricks.
        return value if value.lower().startswith("https://") else None
    if tag == "a" and attribute == "href":
        # Absolute links only: the same HTML is shown in feeds, embeds on partner
        # sites and e-mail, where a relative or scheme-relative link points
        # somewhere else entirely.
        scheme, colon, _ = value.partition(":")
        return value if colon and scheme.lower() in _LINK_SCHEMES else None
    return value


_MARKDOWN_EXTENSIONS: list[Any] = [
    # `align` rather than the default inline style, which the allowlist removes.
    TableExtension(use_align_attribute=True),
    "markdown.extensions.fenced_code",
    "markdown.extensions.sane_lists",
    _LivedeskMarkdown(),
]


def render_markdown(text: str) -> str:
    """Render an update's Markdown to sanitised HTML.

    Invariants: the result never holds raw HTML from the input, script, event
    handlers, style, or a URL outside http(s)/mailto (images: https only); every
    link carries ``rel="nofollow noopener ugc"``.  Pure: same text, same HTML.
    """
    # A fresh Markdown instance per call: instances keep state between conversions.
    html = markdown.Markdown(extensions=_MARKDOWN_EXTENSIONS, output_format="html").convert(
        text
    )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=_LINK_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )

"""PDF documents (letters, onderzoeksverslagen, beschikkingen) rendered from templates/documents.

Importing this package is cheap: WeasyPrint is loaded on the first ``render_pdf`` call. It never imports Flask,
so background jobs and the CLI can render documents outside an app context. See ``render`` for the context keys.
"""
from .render import TEMPLATES_DIR, render_html, render_pdf, sha256_hex

__all__ = ["TEMPLATES_DIR", "render_html", "render_pdf", "sha256_hex"]

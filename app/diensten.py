"""The Diensten (outside capabilities) the domain engine gets from the web layer and the CLI."""
from __future__ import annotations

from domain.workflow import Diensten


def diensten_uit(settings) -> Diensten:
    from domain.berichtenverkeer import berichten_dienst
    from integrations.documents.render import html_naar_pdf, render_html, render_pdf

    return Diensten(portaal_url=settings.base_url, render_pdf=render_pdf, render_html=render_html,
                    html_naar_pdf=html_naar_pdf, berichten=berichten_dienst)

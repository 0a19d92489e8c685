"""Secure e-mail as the channel for zaaktypen outside the portal (`Zaaktype.in_portaal = False`, Regie Team).

Being built (issue 15 point 2): a mail without personal data with a one-time, expiring link to a page that asks
for a second factor and then shows the message and the documents made in the same step."""
from __future__ import annotations


def meld_beveiligd(ctx, onderwerp: str, tekst: str) -> None:
    """Tell the inwoner of ctx.zaak, by secure e-mail, what `onderwerp`/`tekst` say (placeholder: nothing yet)."""
    return None

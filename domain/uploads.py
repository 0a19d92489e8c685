"""The one checked path for files from outside: size, type by content (not by name or browser claim),
stored in the database, never under the web root."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

TOEGESTAAN = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
}


SOORTEN = "PDF, JPG of PNG"  # what TOEGESTAAN lets through, as the inwoner reads it


def megabytes(max_bytes: int) -> int:
    return max_bytes // (1024 * 1024)


def uitleg(max_bytes: int) -> str:
    """The hint under a file field, before a file is chosen: the types checked here and the size per file."""
    return f"{SOORTEN}, hoogstens {megabytes(max_bytes)} MB per bestand."


def lees(bestand, *, max_bytes: int) -> bytes:
    """The content of an uploaded file, never more than one byte over the limit (enough for controleer to refuse it)."""
    return bestand.read(max_bytes + 1)


class UploadFout(ValueError):
    def __init__(self, melding: str):
        super().__init__(melding)
        self.melding = melding


@dataclass(frozen=True)
class Upload:
    bestandsnaam: str
    mediatype: str
    inhoud: bytes
    sha256: str


def controleer(bestandsnaam: str, inhoud: bytes, *, max_bytes: int) -> Upload:
    if not inhoud:
        raise UploadFout(f"Het bestand '{bestandsnaam}' is leeg.")
    if len(inhoud) > max_bytes:
        raise UploadFout(f"Het bestand '{bestandsnaam}' is groter dan {megabytes(max_bytes)} MB. Kies een kleiner bestand.")
    for magie, (mediatype, extensie) in TOEGESTAAN.items():
        if inhoud.startswith(magie):
            break
    else:
        raise UploadFout(f"Het bestand '{bestandsnaam}' is geen {SOORTEN}. Stuur een ander bestand.")
    # Keep a safe name for the download: letters, digits, dash, dot; the extension follows the real type.
    basis = re.sub(r"[^A-Za-z0-9._-]+", "_", bestandsnaam.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip("._") or "bijlage"
    naam = basis.rsplit(".", 1)[0][:80] + extensie
    return Upload(naam, mediatype, inhoud, hashlib.sha256(inhoud).hexdigest())


def als_document(upload: Upload, *, zaak_id: int, inwoner_id: int, documenttype: str, titel: str, nu,
                 vraag_id: int | None = None):
    """A checked upload of the inwoner as a document on the zaak (version 1), visible to them. The caller adds it
    to the session."""
    from .models import Document, DocumentVersie

    document = Document(zaak_id=zaak_id, inwoner_id=inwoner_id, documenttype=documenttype, titel=titel,
                        zichtbaar_voor_inwoner=True, aangemaakt=nu, vraag_id=vraag_id)
    document.versies.append(DocumentVersie(versie=1, bestandsnaam=upload.bestandsnaam, mediatype=upload.mediatype,
                                           inhoud=upload.inhoud, sha256=upload.sha256, grootte=len(upload.inhoud),
                                           aangemaakt=nu))
    return document

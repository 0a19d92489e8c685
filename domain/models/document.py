"""Documents (ZGW: informatieobjecten) with immutable versions and signatures."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class Document(Base):
    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int | None] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), index=True)
    inwoner_id: Mapped[int] = mapped_column(ForeignKey("inwoner.id"), index=True)
    documenttype: Mapped[str] = mapped_column(String(60))  # onderzoeksverslag, beschikking, brief, upload ...
    titel: Mapped[str] = mapped_column(String(300))
    # ZGW vertrouwelijkheidaanduiding: openbaar .. zeer_geheim; social-domain files are vertrouwelijk by default.
    vertrouwelijkheid: Mapped[str] = mapped_column(String(30), default="vertrouwelijk")
    zichtbaar_voor_inwoner: Mapped[bool] = mapped_column(default=False)
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A document the inwoner sent with the answer to a question of the gemeente.
    vraag_id: Mapped[int | None] = mapped_column(ForeignKey("vraag.id", ondelete="SET NULL"), index=True)
    # A file the inwoner uploaded on a portal form. While the form is a draft the document has no zaak yet (the
    # consulent does not see half-finished work); sending the form puts it on the zaak.
    formulier_inzending_id: Mapped[int | None] = mapped_column(
        ForeignKey("formulier_inzending.id", ondelete="SET NULL"), index=True)

    versies: Mapped[list[DocumentVersie]] = relationship(
        back_populates="document", order_by="DocumentVersie.versie", cascade="all, delete-orphan"
    )


class DocumentVersie(Base):
    __tablename__ = "document_versie"
    __table_args__ = (UniqueConstraint("document_id", "versie", name="uq_document_versie_document_versie"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    versie: Mapped[int] = mapped_column(Integer)
    bestandsnaam: Mapped[str] = mapped_column(String(300))
    mediatype: Mapped[str] = mapped_column(String(100))
    # Stored in the database, never under the web root; large files can move to object storage later.
    # Deferred: lists of documents read the metadata only; the bytes are loaded when a download or check asks.
    inhoud: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    grootte: Mapped[int] = mapped_column(Integer)
    auteur_id: Mapped[int | None] = mapped_column(ForeignKey("medewerker.id"))
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    document: Mapped[Document] = relationship(back_populates="versies")
    ondertekeningen: Mapped[list[Ondertekening]] = relationship(back_populates="versie")


class Ondertekening(Base):
    __tablename__ = "ondertekening"
    # One signature per version: the signed version is the aanvraag, a second click cannot sign it twice.
    __table_args__ = (UniqueConstraint("document_versie_id", name="uq_ondertekening_versie"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_versie_id: Mapped[int] = mapped_column(ForeignKey("document_versie.id"), index=True)
    # Signed by an inwoner (through DigiD) or a medewerker; the hash binds the signature to these exact bytes.
    inwoner_id: Mapped[int | None] = mapped_column(ForeignKey("inwoner.id"))
    medewerker_id: Mapped[int | None] = mapped_column(ForeignKey("medewerker.id"))
    # The signer (inwoner_id) signed on behalf of this inwoner: a parent with gezag for their minor child.
    namens_inwoner_id: Mapped[int | None] = mapped_column(ForeignKey("inwoner.id"))
    tijdstip: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sha256: Mapped[str] = mapped_column(String(64))
    methode: Mapped[str] = mapped_column(String(40))  # digid, medewerker_login
    betrouwbaarheidsniveau: Mapped[str | None] = mapped_column(String(20))
    opmerking: Mapped[str | None] = mapped_column(String(2000))

    versie: Mapped[DocumentVersie] = relationship(back_populates="ondertekeningen")


class Poststuk(Base):
    """A document version that goes to the inwoner on paper: the inwoner prefers post (contactvoorkeur). Made in
    the same transaction as the document; administratie prints it and marks it verstuurd (backoffice "Post")."""

    __tablename__ = "poststuk"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_versie_id: Mapped[int] = mapped_column(ForeignKey("document_versie.id", ondelete="CASCADE"), index=True)
    inwoner_id: Mapped[int] = mapped_column(ForeignKey("inwoner.id"), index=True)
    zaak_id: Mapped[int | None] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), index=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="te_versturen")  # te_versturen, verstuurd
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    verstuurd_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    verstuurd_door_id: Mapped[int | None] = mapped_column(ForeignKey("medewerker.id"))

    document_versie: Mapped[DocumentVersie] = relationship()

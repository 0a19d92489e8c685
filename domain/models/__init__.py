"""All models, imported here so Alembic and the app see one metadata."""
from .audit import AuditLog
from .base import Base, utcnow
from .betrokkene import Verwijzing, ZaakBetrokkene
from .beveiligd import BeveiligdeCode, BeveiligdeGebeurtenis, BeveiligdeZending
from .bezwaar import Bezwaarschrift
from .besluit import Besluit, Onderzoeksverslag, Product, Toetsoordeel, Voorziening
from .berichten import Bericht, Berichtreferentie, Toewijzing, Zorgaanbieder
from .campagne import Briefcampagne, Campagnebrief
from .configuratie import ZaaktypeConfiguratie
from .contact import Afspraak, Klantcontact
from .document import Document, DocumentVersie, Ondertekening, Poststuk
from .formulier import FormulierInzending
from .gemeente import Gemeente
from .inwoner import Contactvoorkeur, Inwoner
from .notificatie import MailBericht, Notificatie
from .nummering import Nummering
from .sessie import Sessie
from .organisatie import Medewerker, MedewerkerRol, Team
from .verwijsindex import VerwijsindexMatch, VerwijsindexSignaal
from .vraag import Vraag
from .veiligheid import MeldcodeStap, Taxatie
from .werk import Actie, Termijn, TermijnStand
from .zaak import StatusHistorie, Zaak, ZaakEigenschap, ZaakRelatie

__all__ = [
    "Verwijzing",
    "ZaakBetrokkene",
    "Actie",
    "Bericht",
    "BeveiligdeCode",
    "BeveiligdeGebeurtenis",
    "BeveiligdeZending",
    "Berichtreferentie",
    "Toewijzing",
    "Zorgaanbieder",
    "Besluit",
    "Briefcampagne",
    "Campagnebrief",
    "Bezwaarschrift",
    "Onderzoeksverslag",
    "Product",
    "Toetsoordeel",
    "Voorziening",
    "VerwijsindexMatch",
    "VerwijsindexSignaal",
    "Vraag",
    "Afspraak",
    "AuditLog",
    "Base",
    "Contactvoorkeur",
    "Document",
    "DocumentVersie",
    "FormulierInzending",
    "Gemeente",
    "Inwoner",
    "Klantcontact",
    "MailBericht",
    "MeldcodeStap",
    "Medewerker",
    "MedewerkerRol",
    "Notificatie",
    "Nummering",
    "Ondertekening",
    "Poststuk",
    "Sessie",
    "StatusHistorie",
    "Taxatie",
    "Team",
    "Termijn",
    "TermijnStand",
    "Zaak",
    "ZaakEigenschap",
    "ZaakRelatie",
    "ZaaktypeConfiguratie",
    "utcnow",
]

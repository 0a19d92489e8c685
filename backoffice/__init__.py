"""The medewerkers' face: werkvoorraad, zaak, toetsing, administratie, bezwaar. Views and forms only."""
from flask import Blueprint

bp = Blueprint("backoffice", __name__)

from . import (  # noqa: F401
    afspraken,
    beheer,
    berichten,
    campagnes,
    hulpvragen,
    post,
    termijn_aanpassen,
    toegang,
    toetsing,
    veiligheid,
    verwijsindex,
    verwijzingen,
    views,
    vragen,
    wachtrijen,
    werkvoorraad,
    zaken,
)
from . import kenmerken  # noqa: E402,F401  (kenmerken en gekoppelde zaken)
from . import beveiligd  # noqa: E402,F401  (een nieuwe link voor een beveiligde e-mail)

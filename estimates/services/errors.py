"""What an estimate refuses, and the domain's messages it translates."""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_


class Refused(ValueError):
    """Inputs with no answer: the message says why and what would work (translated)."""


# The domain's messages (plain English there: no Django in estimates.domain), translated here.
DOMAIN_MESSAGES = (
    N_("the floor area must be positive"),
    N_("twelve monthly mean temperatures are needed"),
    N_("a monthly table needs twelve non-negative values per column"),
    N_("there is no aquifer here: no sustainable pumping rate"),
    N_("GHEtool found no finite borehole length"),
    N_("the sizing did not settle; try a larger spacing or a smaller load"),
)

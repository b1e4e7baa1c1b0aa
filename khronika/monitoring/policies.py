"""Who may read and write monitoring records. So far only vocabularies: reference data, public to all
and written only by ``vocabularies_load``."""

from __future__ import annotations

from khronika.accounts import policies


def register_governance() -> None:
    """Tell accounts which steward governs each monitoring record (see accounts.policies.govern)."""
    from khronika.monitoring import models as m

    for model in (m.Vocabulary, m.Term):
        policies.govern(model, policies.Governance.REFERENCE)

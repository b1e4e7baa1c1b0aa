"""The demo network: a clearly fictional but realistic directory to try Khronika on.

``demo_plan`` is pure: from a seed and the reference data it plans every record (organisations, users,
persons, relationships, practice notes) without touching the database, so the same seed always plans the
same network. ``demo_network_create`` then builds the plan through the services, acting as the people of
the network would: the node operator starts the coordinating centre, its coordinator adds the directory,
the regional groups with users of their own keep their own records.

Every organisation's description ends with ``DEMO_MARK``; every e-mail address and website is under
example.org, every phone number under +7 900 000-…; the names come from word lists.
"""

from khronika.directory.demo.build import (
    demo_network_create,
    demo_network_loaded,
    demo_report,
    demo_sign_ins,
    reference_for_plan,
)
from khronika.directory.demo.plan import (
    demo_plan,
)
from khronika.directory.demo.records import (
    DemoNetwork,
    DemoPlan,
    SignIn,
)
from khronika.directory.demo.words import (
    CENTRE_NAME_RU,
    DEFAULT_ORGANISATIONS,
    DEFAULT_SEED,
    DEMO_MARK,
    DEMO_PASSWORD,
)

__all__ = [
    "CENTRE_NAME_RU",
    "DEFAULT_ORGANISATIONS",
    "DEFAULT_SEED",
    "DEMO_MARK",
    "DEMO_PASSWORD",
    "DemoNetwork",
    "DemoPlan",
    "SignIn",
    "demo_network_create",
    "demo_network_loaded",
    "demo_plan",
    "demo_report",
    "demo_sign_ins",
    "reference_for_plan",
]

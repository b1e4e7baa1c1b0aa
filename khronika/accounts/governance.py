"""The governance of the models Khronika uses but does not define, and of its own bookkeeping."""

from __future__ import annotations

from django.apps import apps

from khronika.accounts.policies import Governance, govern


def govern_node_models() -> None:
    for label in (
        "contenttypes.contenttype",
        "auth.permission",
        "auth.group",
        "auth.group_permissions",
        "sessions.session",
        "core.changelogentry",
        "core.auditentry",
        "accounts.user",
        "accounts.apitoken",
        "accounts.userkey",
        "accounts.lockdown",
        "accounts.groupkey",
        "accounts.recoverykey",
        "accounts.groupkeyshare",
        "accounts.valuekey",
        "accounts.grant",
        "axes.accessattempt",
        "axes.accessattemptexpiration",
        "axes.accesslog",
        "axes.accessfailurelog",
        "otp_totp.totpdevice",
        "otp_static.staticdevice",
        "otp_static.statictoken",
    ):
        govern(apps.get_model(label), Governance.NODE)

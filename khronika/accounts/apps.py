from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "khronika.accounts"
    label = "accounts"

    def ready(self) -> None:
        from khronika.accounts.governance import govern_node_models

        govern_node_models()

        from khronika.accounts import sealing

        sealing.connect_signals(sealing.sealed_models())

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "khronika.accounts"
    label = "accounts"

from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "khronika.public"
    label = "public"

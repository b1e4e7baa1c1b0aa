from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "khronika.api"
    label = "api"

from django.urls import path

from khronika.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("language/", views.language_switch, name="language"),
]

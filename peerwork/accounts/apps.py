from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "peerwork.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import policy  # noqa: F401  (registers this app's rules with the one policy)

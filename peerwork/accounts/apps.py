from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "peerwork.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The rules register with the one policy; the jobs mail and sweep notification mail.
        from . import jobs, policy  # noqa: F401

from django.apps import AppConfig


class SpacesConfig(AppConfig):
    name = "peerwork.spaces"
    label = "spaces"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import invitations, policy  # noqa: F401  (registers its rules and invitation kind)

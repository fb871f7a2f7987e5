from django.apps import AppConfig


class AuthorshipConfig(AppConfig):
    name = "peerwork.authorship"
    label = "authorship"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from peerwork.activity import recorder

        from . import compute  # noqa: F401  (registers the job)

        # A saved or imported revision is attributed by a job after the commit.
        recorder.after_record(compute.event_recorded)

        from peerwork.credit.weights import register_revision_weight

        from .credit import surviving_weight

        # Credit weighs a revision by the tokens it wrote that survive.
        register_revision_weight(surviving_weight)

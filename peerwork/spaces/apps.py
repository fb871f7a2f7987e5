from django.apps import AppConfig


class SpacesConfig(AppConfig):
    name = "peerwork.spaces"
    label = "spaces"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from peerwork.core.context_processors import register_header_count
        from peerwork.core.policy import explain_refusals
        from peerwork.core.views import register_site_home

        from . import getting_started, home, invitations, policy, selectors  # noqa: F401  (rules, invitation kind)

        register_header_count("pending_invitation_count", selectors.pending_invitation_count)
        register_site_home(lambda request: {"spaces": selectors.spaces_listed(request.user)[:50]})
        home.register()
        explain_refusals(policy.explain_block)
        getting_started._register_own()

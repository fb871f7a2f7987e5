from django.urls import include, path

from peerwork.accounts import views as accounts_views
from peerwork.accounts.api import router as accounts_router
from peerwork.activity.api import router as activity_router
from peerwork.assist.api import router as assist_router
from peerwork.authorship.api import router as authorship_router
from peerwork.bridging.api import router as bridging_router
from peerwork.challenges.api import router as challenges_router
from peerwork.core import views as core_views
from peerwork.core.api import api
from peerwork.credit.api import router as credit_router
from peerwork.discussions.api import router as discussions_router
from peerwork.governance.api import router as governance_router
from peerwork.ideas.api import router as ideas_router
from peerwork.interop.webhooks.api import router as webhooks_router
from peerwork.ledger.api import router as ledger_router
from peerwork.moderation.api import router as moderation_router
from peerwork.reputation.api import router as reputation_router
from peerwork.risk.api import router as risk_router
from peerwork.search.api import router as search_router
from peerwork.spaces.api import router as spaces_router
from peerwork.tasks.api import router as tasks_router
from peerwork.wiki.api import router as wiki_router

api.add_router("", accounts_router)
api.add_router("", spaces_router)
api.add_router("", activity_router)
api.add_router("", wiki_router)
api.add_router("", risk_router)
api.add_router("", authorship_router)
api.add_router("", search_router)
api.add_router("", reputation_router)
api.add_router("", bridging_router)
api.add_router("", discussions_router)
api.add_router("", webhooks_router)
api.add_router("", ideas_router)
api.add_router("", challenges_router)
api.add_router("", ledger_router)
api.add_router("", tasks_router)
api.add_router("", governance_router)
api.add_router("", credit_router)
api.add_router("", assist_router)
api.add_router("", moderation_router)

urlpatterns = [
    path("", core_views.home, name="home"),
    path("problems/", core_views.problem_index, name="problems"),
    path("problems/<slug:slug>", core_views.problem_type, name="problem"),
    path("help/markup/", core_views.markup_help, name="markup_help"),
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("", include("peerwork.accounts.urls")),
    path("", include("peerwork.spaces.urls")),
    path("", include("peerwork.activity.urls")),
    path("", include("peerwork.wiki.urls")),
    path("", include("peerwork.authorship.urls")),
    path("", include("peerwork.search.urls")),
    path("", include("peerwork.discussions.urls")),
    path("", include("peerwork.interop.urls")),
    path("", include("peerwork.ideas.urls")),
    path("", include("peerwork.challenges.urls")),
    path("", include("peerwork.ledger.urls")),
    path("", include("peerwork.credit.urls")),
    path("", include("peerwork.tasks.urls")),
    path("", include("peerwork.governance.urls")),
    path("", include("peerwork.reputation.urls")),
    path("", include("peerwork.assist.urls")),
    path("", include("peerwork.bridging.urls")),
    path("", include("peerwork.moderation.urls")),
]

handler400 = "peerwork.core.views.bad_request"
handler403 = "peerwork.core.views.forbidden"
handler404 = "peerwork.core.views.not_found"
handler500 = "peerwork.core.views.server_error"

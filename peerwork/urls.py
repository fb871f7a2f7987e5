from django.urls import include, path
from django.views.i18n import set_language

from peerwork.accounts.api import router as accounts_router
from peerwork.activity.api import router as activity_router
from peerwork.core import views as core_views
from peerwork.core.api import api
from peerwork.spaces.api import router as spaces_router

api.add_router("", accounts_router)
api.add_router("", spaces_router)
api.add_router("", activity_router)

urlpatterns = [
    path("", core_views.home, name="home"),
    path("problems/", core_views.problem_index, name="problems"),
    path("problems/<slug:slug>", core_views.problem_type, name="problem"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("", include("peerwork.accounts.urls")),
    path("", include("peerwork.spaces.urls")),
    path("", include("peerwork.activity.urls")),
]

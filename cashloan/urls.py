from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from .api.schema import docs_page
from .api.urls import unknown_api_paths
from .health import healthz

admin.site.site_header = "现金贷管理后台"
admin.site.site_title = "现金贷管理后台"
admin.site.site_url = None  # no public site behind the back office: no 查看站点 link to a 404

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/schema/", docs_page(SpectacularAPIView.as_view()), name="schema"),
    path("api/schema/docs/", docs_page(SpectacularSwaggerView.as_view(url_name="schema")), name="schema-docs"),
    path("api/schema/redoc/", docs_page(SpectacularRedocView.as_view(url_name="schema")), name="schema-redoc"),
    path("", include("accounts.urls")),
    path("", include("products.urls")),
    path("", include("loans.urls")),
    path("", include("messaging.urls")),
    unknown_api_paths(),  # last: 90004004 for whatever no API view took
]

handler400 = "cashloan.error_pages.bad_request"
handler403 = "cashloan.error_pages.permission_denied"
handler404 = "cashloan.error_pages.page_not_found"
handler500 = "cashloan.error_pages.server_error"

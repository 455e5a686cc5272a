"""The project's URLs plus views that fail outside any API view, for the error-page tests."""

from django.urls import path

from cashloan import urls as project


def fault(request):
    raise RuntimeError("secret internals: password=hunter2")


urlpatterns = [path("openApi/test/plainFault", fault), path("open/test/fault", fault), *project.urlpatterns]
handler400, handler403 = project.handler400, project.handler403
handler404, handler500 = project.handler404, project.handler500

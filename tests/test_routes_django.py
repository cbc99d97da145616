"""Django and DRF routes that depend on more than one file: auth from settings, routers of
the project's own router classes, and views expanded from a project's view registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import route_lines, scan_files

_REQUIREMENTS = "Django==5.1\ndjangorestframework==3.15\n"


_API = {
    "requirements.txt": _REQUIREMENTS,
    "shop/urls.py": "from django.urls import include, path\n"
    "from rest_framework.routers import DefaultRouter\n"
    "from . import views\n"
    "router = DefaultRouter()\n"
    "router.register('orders', views.OrderViewSet)\n"
    "urlpatterns = [\n"
    "    path('api/', include(router.urls)),\n"
    "    path('api/stats/', views.StatsView.as_view()),\n"
    "    path('api/ping/', views.PingView.as_view()),\n"
    "    path('health/', views.health),\n"
    "]\n",
    "shop/base.py": "from rest_framework import viewsets\n"
    "from rest_framework.permissions import IsAdminUser\n"
    "class StaffViewSet(viewsets.ReadOnlyModelViewSet):\n"
    "    permission_classes = [IsAdminUser]\n",
    "shop/views.py": "from django.http import JsonResponse\n"
    "from rest_framework.permissions import AllowAny\n"
    "from rest_framework.views import APIView\n"
    "from shop.base import StaffViewSet\n"
    "class OrderViewSet(StaffViewSet):\n"
    "    queryset = None\n"
    "class StatsView(APIView):\n"
    "    def get(self, request): ...\n"
    "    def post(self, request): ...\n"
    "class PingView(APIView):\n"
    "    permission_classes = [AllowAny]\n"
    "    def get(self, request): ...\n"
    "def health(request):\n"
    "    return JsonResponse({})\n",
}
_OWN = [  # the view's own or inherited permission classes, whatever the settings say
    "GET /api/orders required", "GET /api/orders/{pk} required", "GET /api/ping public",
]  # fmt: skip


@pytest.mark.parametrize(
    ("default", "stats"),
    [
        ("['rest_framework.permissions.IsAuthenticated']", ["required", "required"]),
        ("('rest_framework.permissions.AllowAny',)", ["public", "public"]),
        ("['rest_framework.permissions.IsAuthenticatedOrReadOnly']", ["public", "required"]),
        ("['project.permissions.TokenPermissions']", ["required", "required"]),  # its own class
        (None, ["public", "public"]),  # no DEFAULT_PERMISSION_CLASSES: DRF's AllowAny
    ],
)
def test_settings_default_permissions_decide_drf_views_without_their_own(
    tmp_path: Path, default: str | None, stats: list[str]
) -> None:
    # Split settings: the dict is built in base.py, then updated by the deployed module;
    # the test settings' AllowAny must not decide.
    production = (
        f"from .base import *\nREST_FRAMEWORK.update({{'DEFAULT_PERMISSION_CLASSES': {default}}})\n"
        if default
        else "from .base import *\n"
    )
    files = {
        **_API,
        "config/settings/base.py": "ROOT_URLCONF = 'shop.urls'\n"
        "REST_FRAMEWORK = {\n"
        "    'DEFAULT_AUTHENTICATION_CLASSES': [\n"
        "        'rest_framework.authentication.TokenAuthentication',\n"
        "    ],\n"
        "}\n",
        "config/settings/production.py": production,
        "config/settings/test.py": "from .base import *\n"
        "REST_FRAMEWORK['DEFAULT_PERMISSION_CLASSES'] = ['rest_framework.permissions.AllowAny']\n",
    }
    assert route_lines(scan_files(tmp_path, files)) == sorted(
        [*_OWN, f"GET /api/stats {stats[0]}", f"POST /api/stats {stats[1]}",
         "ANY /health unknown"]  # a plain Django view: DRF's settings do not guard it
    )  # fmt: skip


def test_login_required_middleware_guards_plain_views_not_exempted(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "requirements.txt": _REQUIREMENTS,
            "web/settings.py": "ROOT_URLCONF = 'web.urls'\n"
            "MIDDLEWARE = ['django.contrib.sessions.middleware.SessionMiddleware']\n"
            "MIDDLEWARE += ['django.contrib.auth.middleware.LoginRequiredMiddleware']\n",
            "web/urls.py": "from django.contrib.auth.views import LoginView\n"
            "from django.urls import path\n"
            "from web import views\n"
            "urlpatterns = [\n"
            "    path('', views.home),\n"
            "    path('about/', views.about),\n"
            "    path('reports/', views.ReportView.as_view()),\n"
            "    path('status/', views.StatusView.as_view()),\n"
            "    path('api/items/', views.ItemsView.as_view()),\n"
            "    path('login/', LoginView.as_view()),\n"
            "]\n",
            "web/views.py": "from django.contrib.auth.decorators import login_not_required\n"
            "from django.utils.decorators import method_decorator\n"
            "from django.views.generic import TemplateView\n"
            "from rest_framework.views import APIView\n"
            "def home(request): ...\n"
            "@login_not_required\n"
            "def about(request): ...\n"
            "class ReportView(TemplateView):\n"
            "    template_name = 'reports.html'\n"
            "@method_decorator(login_not_required, name='dispatch')\n"
            "class StatusView(TemplateView):\n"
            "    template_name = 'status.html'\n"
            "class ItemsView(APIView):\n"
            "    def get(self, request): ...\n",
        },
    )
    assert route_lines(summary) == [
        "ANY / required",
        "ANY /about public",
        "ANY /login unknown",  # Django's own view, not read: nothing to say
        "GET /api/items unknown",  # DRF's views answer to DRF's settings, not the middleware
        "GET /reports required",
        "GET /status public",
    ]


def test_a_project_router_subclass_gives_standard_and_its_own_routes(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "requirements.txt": _REQUIREMENTS,
            "config/settings.py": "ROOT_URLCONF = 'config.urls'\n"
            "REST_FRAMEWORK = {'DEFAULT_PERMISSION_CLASSES': "
            "['rest_framework.permissions.IsAuthenticated']}\n",
            "config/urls.py": "from django.urls import include, path\n"
            "urlpatterns = [path('api/inventory/', include('inventory.api.urls'))]\n",
            "core/api/routers.py": "from rest_framework import routers\n"
            "class BulkRouter(routers.DefaultRouter):\n"
            "    def __init__(self, *args, **kwargs):\n"
            "        super().__init__(*args, **kwargs)\n"
            "        self.routes[0].mapping.update({'put': 'bulk_update', "
            "'delete': 'bulk_destroy'})\n",
            "core/api/viewsets/__init__.py": "from .base import *\n",
            "core/api/viewsets/base.py": "from rest_framework import mixins\n"
            "from rest_framework.viewsets import GenericViewSet\n"
            "from . import bulk\n"
            "class InventoryViewSet(bulk.BulkDestroyMixin, mixins.ListModelMixin,\n"
            "                   mixins.RetrieveModelMixin, GenericViewSet):\n"
            "    pass\n",
            "core/api/viewsets/bulk.py": "class BulkDestroyMixin:\n"
            "    def bulk_destroy(self, request): ...\n",
            "inventory/api/urls.py": "from core.api.routers import BulkRouter\n"
            "from . import views\n"
            "router = BulkRouter()\n"
            "router.register('sites', views.SiteViewSet)\n"
            "router.register('racks', views.RackViewSet)\n"
            "urlpatterns = router.urls\n",
            "inventory/api/views.py": "from core.api.viewsets import InventoryViewSet\n"
            "class SiteViewSet(InventoryViewSet):\n"
            "    queryset = None\n"
            "class RackViewSet(InventoryViewSet):\n"
            "    def bulk_update(self, request): ...\n",
        },
    )
    assert route_lines(summary) == [
        "DELETE /api/inventory/racks required",  # the mixin's bulk_destroy, on the list route
        "DELETE /api/inventory/sites required",
        "GET /api/inventory/racks required",
        "GET /api/inventory/racks/{pk} required",
        "GET /api/inventory/sites required",
        "GET /api/inventory/sites/{pk} required",
        "PUT /api/inventory/racks required",  # only the viewset that has bulk_update
    ]


def test_a_router_subclass_with_its_own_route_table_replaces_drfs(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "requirements.txt": _REQUIREMENTS,
            "api/routers.py": "from rest_framework.routers import DynamicRoute, Route\n"
            "from rest_framework.routers import SimpleRouter\n"
            "class ReadOnlyRouter(SimpleRouter):\n"
            "    routes = [\n"
            "        Route(url=r'^{prefix}$', mapping={'get': 'list'}, name='{basename}-list',\n"
            "              detail=False, initkwargs={'suffix': 'List'}),\n"
            "        Route(url=r'^{prefix}/{lookup}$', mapping={'get': 'retrieve'},\n"
            "              name='{basename}-detail', detail=True, initkwargs={}),\n"
            "        DynamicRoute(url=r'^{prefix}/{lookup}/{url_path}$',\n"
            "                     name='{basename}-{url_name}', detail=True, initkwargs={}),\n"
            "    ]\n",
            "api/urls.py": "from api.routers import ReadOnlyRouter\n"
            "from api.views import UserViewSet\n"
            "router = ReadOnlyRouter()\n"
            "router.register('users', UserViewSet)\n"
            "urlpatterns = router.urls\n",
            "api/views.py": "from rest_framework import viewsets\n"
            "from rest_framework.decorators import action\n"
            "class UserViewSet(viewsets.ModelViewSet):\n"
            "    lookup_field = 'username'\n"
            "    @action(detail=True)\n"
            "    def group_names(self, request, username=None): ...\n"
            "    @action(detail=False, methods=['post'])\n"
            "    def invite(self, request): ...\n",
        },
    )
    assert route_lines(summary) == [  # no create/update/destroy, no list-level @action
        "GET /users unknown",
        "GET /users/{username} unknown",
        "GET /users/{username}/group_names unknown",
    ]


def test_views_registered_by_a_decorator_are_expanded_from_the_registry(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "requirements.txt": _REQUIREMENTS,
            "portal/settings.py": "ROOT_URLCONF = 'portal.urls'\n",
            "portal/urls.py": "from django.urls import include, path\n"
            "urlpatterns = [path('inventory/', include('inventory.urls'))]\n",
            "base/catalog.py": "import collections\n"
            "catalog = {'pages': collections.defaultdict(dict)}\n",
            "base/pages.py": "from base.catalog import catalog\n"
            "def page(model, name='', route=None, listing=False):\n"
            "    def attach(view):\n"
            "        app = model._meta.app_label\n"
            "        key = model._meta.model_name\n"
            "        catalog['pages'][app].setdefault(key, [])\n"
            "        catalog['pages'][app][key].append({\n"
            "            'name': name, 'view': view,\n"
            "            'route': route if route is not None else name, 'listing': listing,\n"
            "        })\n"
            "        return view\n"
            "    return attach\n",
            "base/routing.py": "from django.urls import path\n"
            "from base.catalog import catalog\n"
            "def pages_for(app, model, listing=False):\n"
            "    found = []\n"
            "    for entry in catalog['pages'][app][model]:\n"
            "        if entry['listing'] != listing:\n"
            "            continue\n"
            "        segment = entry['route'] + '/' if entry['route'] else ''\n"
            "        found.append(path(segment, entry['view'].as_view()))\n"
            "    return found\n",
            "inventory/models.py": "from django.db import models\n"
            "class Device(models.Model):\n    pass\n"
            "class Rack(models.Model):\n    pass\n",
            "inventory/views.py": "from django.contrib.auth.mixins import LoginRequiredMixin\n"
            "from django.views.generic import ListView, View\n"
            "from base.pages import page\n"
            "from .models import *\n"
            "@page(Device, 'list', route='', listing=True)\n"
            "class DeviceListView(LoginRequiredMixin, ListView):\n    pass\n"
            "@page(Device)\n"
            "class DeviceView(View):\n"
            "    def get(self, request, pk): ...\n"
            "@page(Device, 'edit')\n"
            "class DeviceEditView(LoginRequiredMixin, View):\n"
            "    def get(self, request, pk): ...\n"
            "    def post(self, request, pk): ...\n"
            "@page(Device, 'ports', route='interfaces')\n"
            "class DevicePortsView(View):\n"
            "    def get(self, request, pk): ...\n"
            "@page(Rack, 'edit')\n"
            "class RackEditView(View):\n"
            "    def post(self, request, pk): ...\n",
            "inventory/urls.py": "from django.urls import include, path\n"
            "from base.routing import pages_for\n"
            "urlpatterns = [\n"
            "    path('devices/', include(pages_for('inventory', 'device', listing=True))),\n"
            "    path('devices/<int:pk>/', include(pages_for('inventory', 'device'))),\n"
            "]\n",
        },
    )
    assert route_lines(summary) == [
        "GET /inventory/devices required",
        "GET /inventory/devices/{pk} unknown",
        "GET /inventory/devices/{pk}/edit required",
        "GET /inventory/devices/{pk}/interfaces unknown",
        "POST /inventory/devices/{pk}/edit required",
    ]  # not RackEditView: the rack's pages are not included
    edit = next(r for r in summary.routes if r.handler == "DeviceEditView.post")
    assert [e.cite() for e in edit.evidence] == ["inventory/views.py:11", "inventory/urls.py:5"]

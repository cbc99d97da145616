"""Full route paths, auth and middleware per framework, on the fixture repositories. Each
fixture mounts routes under a prefix declared in another file and guards one group."""

from __future__ import annotations

from pathlib import Path

import pytest

from archdraft.repo import open_repo
from archdraft.scan import scan

from .conftest import route_lines, scan_files

EXPECTED = {
    "express-app": [
        "DELETE /api/orders/{orderId} required", "GET /api/orders required",
        "GET /api/users required", "GET /api/users/{id} required", "GET /health unknown",
        "POST /api/users unknown",
    ],
    "nest-app": [
        "GET /api/health unknown", "GET /api/users/{id} required", "POST /api/users required",
        "GET /api/v2/reports/daily unknown",  # URI versioning, @Controller({ version: '2' })
    ],
    "koa-app": [
        "GET /api/status unknown", "GET /api/users required", "GET /api/users/{id} required",
    ],
    "fastify-app": [
        "GET /api/orders required", "GET /api/orders/{orderId} required", "GET /health unknown",
        "POST /api/orders required",
        # const reports = async (fastify) => {...}; export default reports
        "GET /api/reports unknown", "DELETE /api/reports/{reportId} required",
    ],
    "fastapi-app": [
        "GET /api/v1/items/{sku} required", "GET /health unknown", "POST /api/v1/items required",
    ],
    "flask-app": [
        "DELETE /admin/cache required", "GET /admin/stats required",
        "GET /api/v1/products unknown", "GET /api/v1/products/{product_id} required",
        "GET /health unknown", "POST /api/v1/orders required",
        "PUT /api/v1/products/{product_id} required",
    ],
    "django-app": [
        "ANY /admin unknown", "ANY /health unknown", "DELETE /api/orders/{pk} required",
        "GET /api/orders required", "GET /api/orders/{pk} required",
        "GET /api/reports/{year} public", "PATCH /api/orders/{pk} required",
        "POST /api/orders required", "POST /api/orders/{pk}/cancel required",
        "PUT /api/orders/{pk} required",
    ],
    "gin-app": [
        "GET /api/v1/accounts/{id} required", "GET /api/v1/rates unknown", "GET /healthz unknown",
        "POST /api/v1/accounts required",
    ],
    "echo-app": [
        "DELETE /api/admin/cache/{key} required", "GET /api/admin/stats required",
        "GET /api/ping unknown",
    ],
    "chi-app": [
        "GET /api/accounts required", "GET /api/accounts/{accountID} required",
        "GET /api/health unknown",
        # two packages with a Router() method; two receivers with router() in one file;
        # r.Group(func(r chi.Router) {...}) guarding what it mounts
        "GET /admin required", "GET /admin/accounts required",
        "DELETE /admin/accounts/{accountID} required", "GET /admin/reports/daily required",
        "POST /auth/login unknown", "POST /auth/logout required",
    ],
    "nethttp-app": [
        "GET /api/notes unknown", "GET /api/notes/{id} unknown", "GET /healthz unknown",
        "POST /api/notes required",
    ],
    "spring-app": [
        "DELETE /api/orders/{id} required", "GET /api/orders required",
        "GET /api/orders/{id} required", "GET /api/public/status public",
        "POST /api/orders required",
        # method = GET by static import; a matcher for GET requests only
        "GET /api/catalog public", "POST /api/catalog required",
    ],
    "rails-app": [
        # namespace :api / :v1; before_action :authenticate_user! in Api::V1::BaseController
        "POST /api/v1/auth/login public",  # skip_before_action ..., only: :create
        "GET /api/v1/books required", "POST /api/v1/books required",
        "GET /api/v1/books/{id} required", "PATCH /api/v1/books/{id} required",
        "PUT /api/v1/books/{id} required", "DELETE /api/v1/books/{id} required",
        "POST /api/v1/books/{id}/archive required", "GET /api/v1/books/search required",
        "GET /api/v1/books/{book_id}/reviews required",
        "POST /api/v1/books/{book_id}/reviews required",
        "DELETE /api/v1/reviews/{id} required",  # resources :reviews, shallow: true
        "GET /api/v1/profile required", "PATCH /api/v1/profile required",
        "PUT /api/v1/profile required",
        "GET /up unknown",  # Rails::HealthController, in railties
    ],
    "laravel-app": [
        # routes/web.php; withRouting(health: '/up'); routes/api.php under /api
        "GET / unknown", "GET /docs unknown", "GET /up unknown",
        "GET /api/user required", "GET /api/status unknown",
        # Route::prefix('v1'), a Route::controller group with 'guest' (explicitly public)
        "POST /api/v1/login public", "POST /api/v1/register public",
        # apiResource ->only(['index', 'show']) outside the auth:sanctum group
        "GET /api/v1/books unknown", "GET /api/v1/books/{book} unknown",
        "GET /api/v1/genres unknown",
        # Route::middleware('auth:sanctum')->group: apiResource ->except, a nested resource
        "POST /api/v1/logout required", "POST /api/v1/books required",
        "PUT /api/v1/books/{book} required", "PATCH /api/v1/books/{book} required",
        "DELETE /api/v1/books/{book} required",
        "GET /api/v1/books/{book}/reviews required", "POST /api/v1/books/{book}/reviews required",
        "GET /api/v1/admin/users required", "DELETE /api/v1/admin/users/{user} required",
    ],
    "axum-app": [
        # health merged at the root; the API nested under /api from one module per resource
        "GET /healthz unknown", "GET /readyz unknown",
        "POST /api/auth/register unknown", "POST /api/auth/login unknown",
        "GET /api/books unknown", "GET /api/books/{id} unknown",
        "GET /api/books/{id}/reviews unknown",
        # a handler taking the AuthUser extractor
        "POST /api/books/{id}/reviews required", "GET /api/me required",
        "GET /api/authors unknown", "GET /api/authors/{id} unknown",
        "GET /api/authors/{id}/books unknown",
        # Patron's FromRequestParts rejects a request without its session cookie: required,
        # optional when Option<Patron>; ValidatedJson rejects bad input only
        "GET /api/shelves public", "POST /api/shelves required",
        "PUT /api/shelves/{id} unknown", "DELETE /api/shelves/{id} required",
        # .route_layer(from_fn_with_state(.., require_auth)) after every admin route
        "POST /api/admin/books required", "PUT /api/admin/books/{id} required",
        "DELETE /api/admin/books/{id} required", "POST /api/admin/authors required",
        "DELETE /api/admin/users/{id} required",
    ],
    "aspnet-app": [
        # [Route("api/[controller]")] + [Authorize]; [AllowAnonymous] on List
        "GET /api/Products public", "GET /api/Products/{id} required",
        "POST /api/Products required", "PUT /api/Products/{id} required",
        "DELETE /api/Products/{id} required",
        # [Authorize(Policy = "Staff")] on the class; {id:int} keeps its name only
        "GET /api/Orders required", "GET /api/Orders/{id} required",
        "POST /api/Orders required", "POST /api/Orders/{id}/cancel required",
        # no attribute on the class or its actions
        "GET /api/suppliers unknown", "GET /api/suppliers/{id}/products unknown",
        # MapGroup("/api/reports").RequireAuthorization() in a MapReportEndpoints extension
        "GET /api/reports/stock required", "GET /api/reports/orders/{year} required",
        "POST /api/reports/export required",
        # minimal APIs in Program.cs: .AllowAnonymous(), and app.Map for every method
        "GET /health public", "ANY /error unknown",
        # IEndpointGroup modules MapEndpoints maps at $"/api/{type.Name}" with the project's
        # MapGet(handler, pattern = ""); groupBuilder.RequireAuthorization() guards all
        "GET /api/Warehouses required", "POST /api/Warehouses required",
        "DELETE /api/Warehouses/{id} required", "GET /api/Warehouses/count required",
        # a RoutePrefix of its own; chained AllowAnonymous/RequireAuthorization per route
        "GET /api/warehouses/{warehouseId}/movements unknown",
        "GET /api/warehouses/{warehouseId}/movements/{id} public",
        "POST /api/warehouses/{warehouseId}/movements required",
    ],
}  # fmt: skip


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_route_lists(make_repo, fixture: str) -> None:
    summary = scan(open_repo(make_repo(fixture), 1 << 20))
    found = route_lines(summary)
    assert found == sorted(EXPECTED[fixture])


def test_express_middleware_order_and_scopes(make_repo) -> None:
    summary = scan(open_repo(make_repo("express-app"), 1 << 20))
    chain = [(m.order, m.name) for m in summary.middleware if m.scope == "global"]
    assert chain == [(1, "helmet"), (2, "cors"), (3, "express.json"), (4, "errorHandler")]
    assert ("group", "requireAuth") in {(m.scope, m.name) for m in summary.middleware}
    assert ("route", "requireAuth") in {(m.scope, m.name) for m in summary.middleware}


def test_fastify_middleware_is_hooks_and_plugins_not_options_or_helpers(make_repo) -> None:
    summary = scan(open_repo(make_repo("fastify-app"), 1 << 20))
    assert {(m.scope, m.name) for m in summary.middleware} == {
        ("group", "fastify.authenticate"),  # addHook('onRequest', ...)
        ("route", "fastify.authenticate"),  # { preHandler: [...] } among the route options
    }  # not register(fp(db))'s wrapper, connect(fastify), onClose or a { schema } object


def test_handlers_and_evidence_name_the_registration(make_repo) -> None:
    summary = scan(open_repo(make_repo("spring-app"), 1 << 20))
    route = next(r for r in summary.routes if r.method == "DELETE")
    assert route.handler == "OrderController.delete"
    assert route.evidence[0].path.endswith("OrderController.java")


def test_unresolvable_prefix_keeps_the_route_once_with_a_warning(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "package.json": '{"dependencies": {"express": "^4"}}',
            "app.js": "const express = require('express');\n"
            "const users = require('./users');\n"
            "const app = express();\n"
            "app.use(config.basePath, users);\n"
            "app.listen(3000);\n",
            "users.js": "const router = require('express').Router();\n"
            "router.get('/users/:id', (req, res) => res.json({}));\n"
            "module.exports = router;\n",
        },
    )
    assert [(r.method, r.path) for r in summary.routes] == [("GET", "/users/{id}")]
    assert (
        "app.js:4: mount path config.basePath is not a literal; "
        "routes below it are listed without it"
    ) in summary.warnings
    assert "users.js" not in " ".join(summary.warnings)


def test_models_services_auth_and_integrations(make_repo) -> None:
    nest = scan(open_repo(make_repo("nest-app"), 1 << 20))
    assert [(m.name, m.kind) for m in nest.models] == [("User", "orm_model")]
    assert [s.name for s in nest.services] == ["UsersService"]
    assert "jwt" in {a.method for a in nest.auth}
    django = scan(open_repo(make_repo("django-app"), 1 << 20))
    assert [m.name for m in django.models] == ["Order"]
    spring = scan(open_repo(make_repo("spring-app"), 1 << 20))
    assert {a.method for a in spring.auth} >= {"jwt", "oauth"}


def test_http_clients_to_outside_hosts_are_integrations(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "package.json": '{"dependencies": {"axios": "^1", "stripe": "^14"}}',
            "billing.js": "const Stripe = require('stripe');\n"
            "const axios = require('axios');\n"
            "const geo = axios.create({ baseURL: 'https://api.geo.example.net/v2' });\n"
            "const local = axios.create({ baseURL: 'http://localhost:4000' });\n",
        },
    )
    assert [(i.name, i.kind) for i in summary.integrations] == [
        ("Stripe", "sdk"),
        ("api.geo.example.net", "rest"),
    ]


def test_express_modules_that_take_the_router_as_a_parameter(tmp_path: Path) -> None:
    """bulletproof-nodejs style: a factory returns a router it hands to route modules."""
    (tmp_path / "package.json").write_text('{"dependencies": {"express": "^4"}}')
    (tmp_path / "src" / "api" / "routes").mkdir(parents=True)
    (tmp_path / "src" / "api" / "index.ts").write_text(
        "import { Router } from 'express';\nimport auth from './routes/auth';\n\n"
        "export default () => {\n  const app = Router();\n  auth(app);\n  return app;\n};\n"
    )
    (tmp_path / "src" / "api" / "routes" / "auth.ts").write_text(
        "import { Router } from 'express';\nconst route = Router();\n\n"
        "export default (app: Router) => {\n  app.use('/auth', route);\n"
        "  route.post('/signin', (req, res) => res.json({}));\n};\n"
    )
    (tmp_path / "src" / "app.ts").write_text(
        "import express from 'express';\nimport routes from '@/api';\n\n"
        "const app = express();\napp.use('/api', routes());\napp.listen(3000);\n"
    )
    summary = scan(open_repo(tmp_path, 1 << 20))
    assert [(r.method, r.path) for r in summary.routes] == [("POST", "/api/auth/signin")]


def test_drf_lookup_field_and_read_only_permissions(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "requirements.txt": "Django==5.0\ndjangorestframework==3.15\n",
            "blog/urls.py": "from rest_framework.routers import DefaultRouter\n"
            "from blog.views import PostViewSet\n\n"
            "router = DefaultRouter()\nrouter.register('posts', PostViewSet)\n"
            "urlpatterns = router.urls\n",
            "blog/views.py": "from rest_framework import permissions, viewsets\n\n\n"
            "class PostViewSet(viewsets.ReadOnlyModelViewSet):\n"
            "    lookup_field = 'slug'\n"
            "    permission_classes = [permissions.IsAuthenticatedOrReadOnly]\n",
            "site.py": "from django.urls import include, path\n\n"
            "urlpatterns = [path('api/', include('blog.urls'))]\n",
        },
    )
    assert route_lines(summary) == [
        "GET /api/posts public",
        "GET /api/posts/{slug} public",
    ]


def test_drf_viewsets_on_the_projects_own_base_classes(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "requirements.txt": "Django==5.0\ndjangorestframework==3.15\n",
            "api/views/custom.py": "from rest_framework import mixins, viewsets\n"
            "class ListViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):\n"
            "    pass\n",
            "api/views/albums.py": "from api.views.custom import ListViewSet\n"
            "class AlbumListViewSet(ListViewSet):\n"
            "    serializer_class = None\n",
            "api/urls.py": "from rest_framework.routers import DefaultRouter\n"
            "from api.views.albums import AlbumListViewSet\n"
            "router = DefaultRouter()\n"
            "router.register(\n"
            "    r'api/albums/list',\n"
            "    AlbumListViewSet,\n"
            ")\n"
            "urlpatterns = router.urls\n",
        },
    )
    assert [(f"{r.method} {r.path}", r.evidence[0].line) for r in summary.routes] == [
        ("GET /api/albums/list", 4)
    ]


def test_jwt_sign_in_views_are_public_under_an_authenticated_default(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "requirements.txt": "Django==5.0\ndjangorestframework==3.15\n"
            "djangorestframework-simplejwt==5.3\n",
            "config/settings.py": "ROOT_URLCONF = 'config.urls'\n"
            "REST_FRAMEWORK = {'DEFAULT_PERMISSION_CLASSES': "
            "('rest_framework.permissions.IsAuthenticated',)}\n",
            "config/urls.py": "from django.urls import path\n"
            "from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView\n"
            "from rest_framework.views import APIView\n"
            "class CustomTokenObtainPairView(TokenObtainPairView):\n"
            "    serializer_class = None\n"
            "class StatsView(APIView):\n"
            "    def get(self, request): ...\n"
            "urlpatterns = [\n"
            "    path('api/auth/token/obtain/', CustomTokenObtainPairView.as_view()),\n"
            "    path('api/auth/token/refresh/', TokenRefreshView.as_view()),\n"
            "    path('api/stats/', StatsView.as_view()),\n"
            "]\n",
        },
    )
    assert route_lines(summary) == [
        "GET /api/stats required",
        "POST /api/auth/token/obtain public",
        "POST /api/auth/token/refresh public",
    ]


def test_a_route_decorator_called_on_a_function_registers_it(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "requirements.txt": "fastapi\n",
            "app/main.py": "from fastapi import APIRouter, Depends, FastAPI\n"
            "app = FastAPI()\n"
            "auth_router = APIRouter()\n"
            "def register_user(user=Depends(get_current_user)): ...\n"
            "if REGISTRATION_ENABLED:\n"
            "    register_user = auth_router.post('/register')(register_user)\n"
            "app.include_router(auth_router, prefix='/auth')\n",
        },
    )
    assert [(f"{r.method} {r.path} {r.auth}", r.evidence[0].line) for r in summary.routes] == [
        ("POST /auth/register required", 6)  # the line that registers it
    ]


def test_fastapi_router_subclasses_f_string_prefixes_and_sign_in_forms(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "requirements.txt": "fastapi\nitsdangerous\n",
            "app/main.py": "from fastapi import FastAPI\n"
            "from starlette.middleware.sessions import SessionMiddleware\n"
            "from app.routes import router\n"
            "app = FastAPI()\n"
            "app.add_middleware(SessionMiddleware, secret_key=KEY)\n"
            "app.include_router(router)\n",
            "app/routes/__init__.py": "from fastapi import APIRouter\n"
            "from . import admin, auth, explore\n"
            "prefix = '/recipes'\n"
            "router = APIRouter(prefix='/api')\n"
            "router.include_router(auth.router)\n"
            "router.include_router(admin.router)\n"
            "router.include_router(admin.users)\n"
            "router.include_router(admin.open_router)\n"
            "router.include_router(explore.router, prefix=prefix)\n",
            "app/routes/auth.py": "from fastapi import APIRouter, Depends\n"
            "from fastapi.security import OAuth2PasswordRequestForm\n"
            "router = APIRouter(prefix='/auth')\n"
            "@router.post('/token')\n"
            "def token(form: OAuth2PasswordRequestForm = Depends()): ...\n",
            "app/routes/admin.py": "from app.routes._base import AdminAPIRouter\n"
            "router = AdminAPIRouter(prefix='/admin')\n"
            "@router.get('/about')\n"
            "def about(): ...\n"
            "users = UserAPIRouter(prefix='/users')\n"
            "@users.get('/me')\n"
            "def me(): ...\n"
            "open_router = PublicAPIRouter(prefix='/open')\n"
            "@open_router.get('/info')\n"
            "def info(): ...\n",
            "app/routes/explore.py": "from fastapi import APIRouter\n"
            "prefix = '/not-this-one'\n"
            "base_prefix = '/organizers'\n"
            "router = APIRouter(prefix=f'{base_prefix}/tags')\n"
            "@router.get('')\n"
            "def tags(): ...\n",
        },
    )
    assert route_lines(summary) == [
        "GET /api/admin/about required",  # the project's AdminAPIRouter
        "GET /api/open/info unknown",  # PublicAPIRouter: no router-wide "public" is kept
        "GET /api/recipes/organizers/tags unknown",  # prefix from the mounting file
        "GET /api/users/me required",  # UserAPIRouter
        "POST /api/auth/token unknown",  # the sign-in form guards nothing
    ]
    assert summary.warnings == ()


def test_optional_authentication_does_not_make_a_route_required(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "requirements.txt": "fastapi\nflask\nflask-jwt-extended\n",
            "api.py": "from fastapi import Depends, FastAPI\n"
            "from fastapi.security import HTTPBearer\n"
            "app = FastAPI()\n"
            "bearer = HTTPBearer(auto_error=False)\n"
            "def get_current_user(required: bool = True): ...\n"
            "@app.get('/articles')\n"
            "def articles(user=Depends(get_current_user(required=False))): ...\n"
            "@app.get('/feed')\n"
            "def feed(user=Depends(get_current_user(required=True))): ...\n"
            "@app.get('/tags')\n"
            "def tags(token=Depends(HTTPBearer(auto_error=False))): ...\n",
            "views.py": "from flask import Flask\n"
            "from flask_jwt_extended import jwt_optional, jwt_required\n"
            "app = Flask(__name__)\n"
            "@app.route('/profiles/<name>')\n"
            "@jwt_optional\n"
            "def profile(name): ...\n"
            "@app.route('/user')\n"
            "@jwt_required\n"
            "def user(): ...\n",
        },
    )
    assert {(r.path, r.auth) for r in summary.routes} == {
        ("/articles", "unknown"),
        ("/feed", "required"),
        ("/tags", "unknown"),
        ("/profiles/{name}", "unknown"),
        ("/user", "required"),
    }


def test_gorilla_struct_router_methods_and_sibling_blocks(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "go.mod": "module example.com/wtf\n\nrequire github.com/gorilla/mux v1.8.0\n",
            "http/server.go": "package http\n\n"
            'import "github.com/gorilla/mux"\n\n'
            "type Server struct{ router *mux.Router }\n\n"
            "func NewServer() *Server {\n"
            "\ts := &Server{router: mux.NewRouter()}\n"
            '\ts.router.HandleFunc("/debug/version", s.handleVersion).Methods("GET")\n'
            "\t{\n"
            '\t\tr := s.router.PathPrefix("/").Subrouter()\n'
            "\t\tr.Use(s.requireNoAuth)\n"
            "\t\ts.registerAuthRoutes(r)\n"
            "\t}\n"
            "\t{\n"
            '\t\tr := s.router.PathPrefix("/").Subrouter()\n'
            "\t\tr.Use(s.requireAuth)\n"
            '\t\tr.HandleFunc("/settings", s.handleSettings).Methods("GET", "HEAD")\n'
            "\t}\n"
            "\treturn s\n"
            "}\n",
            "http/auth.go": "package http\n\n"
            'import "github.com/gorilla/mux"\n\n'
            "func (s *Server) registerAuthRoutes(r *mux.Router) {\n"
            '\tr.HandleFunc("/login", s.handleLogin).Methods("POST")\n'
            '\tr.HandleFunc("/logout", s.handleLogout).Methods("DELETE")\n'
            "}\n",
        },
    )
    assert route_lines(summary) == [
        "DELETE /logout unknown",  # under requireNoAuth: not a guard
        "GET /debug/version unknown",
        "GET /settings required",  # the other block's r, under requireAuth
        "POST /login unknown",
    ]


def test_a_global_prefix_read_from_configuration_is_a_warning(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "package.json": '{"dependencies": {"@nestjs/core": "^10"}}',
            "main.ts": "import { NestFactory } from '@nestjs/core';\n"
            "async function bootstrap() {\n"
            "  const app = await NestFactory.create(AppModule);\n"
            "  app.setGlobalPrefix(config.get('apiPrefix'));\n"
            "  await app.listen(3000);\n"
            "}\n",
            "users.controller.ts": "import { Controller, Get } from '@nestjs/common';\n"
            "@Controller('users')\n"
            "export class UsersController {\n"
            "  @Get()\n"
            "  list() { return []; }\n"
            "}\n",
        },
    )
    assert [(r.method, r.path) for r in summary.routes] == [("GET", "/users")]
    assert summary.warnings == (
        "main.ts:4: global prefix config.get('apiPrefix') is not a literal; "
        "routes are listed without it",
    )


def test_a_prefix_and_paths_given_through_constants_are_resolved(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "package.json": '{"dependencies": {"@nestjs/core": "^10", "express": "^4"}}',
            "main.ts": "import { NestFactory } from '@nestjs/core';\n"
            "async function bootstrap() {\n"
            "  const app = await NestFactory.create(AppModule);\n"
            "  const globalPrefix = 'api';\n"
            "  app.setGlobalPrefix(globalPrefix);\n"
            "}\n",
            "users.controller.ts": "import { Controller, Get } from '@nestjs/common';\n"
            "@Controller('users')\n"
            "export class UsersController {\n"
            "  @Get()\n"
            "  list() { return []; }\n"
            "}\n",
            "src/paths.js": "export const HEALTH = '/health';\nexport const V1 = '/v1';\n",
            "src/server.js": "import express from 'express';\n"
            "import { HEALTH, V1 } from './paths';\n"
            "import * as paths from './paths';\n"
            "const app = express();\n"
            "app.get(HEALTH, (req, res) => res.send('ok'));\n"
            "app.get(V1 + '/status', (req, res) => res.send('ok'));\n"
            "app.get(`${paths.V1}/items`, (req, res) => res.send('ok'));\n"
            "app.get(settings.unknownPath, (req, res) => res.send('ok'));\n",
        },
    )
    assert sorted(
        (r.method, r.path, f"{r.evidence[0].path}:{r.evidence[0].line}") for r in summary.routes
    ) == [
        ("GET", "/api/users", "users.controller.ts:5"),
        ("GET", "/health", "src/server.js:5"),
        ("GET", "/v1/items", "src/server.js:7"),
        ("GET", "/v1/status", "src/server.js:6"),
    ]
    assert summary.warnings == (
        "src/server.js:8: route path settings.unknownPath is not a literal; the route is left out",
    )


def test_django_computed_prefixes_and_decorated_function_views(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "requirements.txt": "django\n",
            "config/__init__.py": "",
            "config/settings.py": 'ROOT_URLCONF = "config.urls"\n',
            "config/urls.py": "from django.conf import settings\n"
            "from django.urls import include, path\n"
            "prefix = settings.URL_PREFIX\n"
            "urlpatterns = [\n"
            '    path(f"{prefix}accounts/", include("accounts.urls")),\n'
            '    path(prefix, include("accounts.api_urls")),\n'
            "]\n",
            "accounts/__init__.py": "",
            "accounts/urls.py": "from django.urls import path\n"
            "from accounts import views\n"
            'urlpatterns = [path("profile/", views.profile), path("login/", views.login)]\n',
            "accounts/api_urls.py": "from django.urls import path\n"
            "from accounts import views\n"
            'urlpatterns = [path("api/ping/", views.ping)]\n',
            "accounts/views.py": "from django.contrib.auth.decorators import login_required\n"
            "from django.views.decorators.http import require_POST\n"
            "@login_required\n"
            "def profile(request): ...\n"
            "def login(request): ...\n"
            "@require_POST\n"
            "def ping(request): ...\n",
        },
    )
    assert route_lines(summary) == [
        "ANY /accounts/login unknown",
        "ANY /accounts/profile required",  # a views module of decorated functions only
        "POST /api/ping unknown",
    ]
    assert (
        "config/urls.py:5: path f'{prefix}accounts/' is not a literal; routes below it are "
        "listed without its computed part"
    ) in summary.warnings
    assert any(
        w.startswith("config/urls.py:6: path prefix is not a literal") for w in summary.warnings
    )


def test_gin_configured_prefixes_and_use_chains(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "go.mod": "module example.com/admin\n\nrequire github.com/gin-gonic/gin v1.9.1\n",
            "initialize/router.go": "package initialize\n\n"
            "import (\n"
            '\t"example.com/admin/global"\n'
            '\t"example.com/admin/middleware"\n'
            '\t"example.com/admin/router"\n'
            '\t"github.com/gin-gonic/gin"\n'
            ")\n\n"
            "func Routers() *gin.Engine {\n"
            "\tRouter := gin.New()\n"
            "\tsystemRouter := router.RouterGroupApp.System\n"
            '\tRouter.GET(global.Config.Prefix+"/swagger/*any", swagger)\n'
            "\tPublicGroup := Router.Group(global.Config.Prefix)\n"
            "\tPrivateGroup := Router.Group(global.Config.Prefix)\n"
            "\tPrivateGroup.Use(middleware.JWTAuth()).Use(middleware.Casbin())\n"
            "\tsystemRouter.InitUserRouter(PrivateGroup, PublicGroup)\n"
            "\treturn Router\n"
            "}\n",
            "router/system/sys_user.go": "package system\n\n"
            'import "github.com/gin-gonic/gin"\n\n'
            "type UserRouter struct{}\n\n"
            "func (s *UserRouter) InitUserRouter(Router *gin.RouterGroup, Pub *gin.RouterGroup) {\n"
            '\tuserRouter := Router.Group("user").Use(middleware.OperationRecord())\n'
            '\tpublicRouter := Pub.Group("user")\n'
            '\tuserRouter.POST("changePassword", baseApi.ChangePassword)\n'
            '\tpublicRouter.POST("login", baseApi.Login)\n'
            "}\n",
        },
    )
    assert route_lines(summary) == [
        "GET /swagger/{any} unknown",
        "POST /user/changePassword required",  # PrivateGroup.Use(JWTAuth()).Use(...)
        "POST /user/login unknown",
    ]
    assert sorted(w.split(": ", 1)[0] for w in summary.warnings) == [
        "initialize/router.go:13",  # the swagger route's computed start
        "initialize/router.go:14",  # the public group's configured prefix
        "initialize/router.go:15",  # the private group's
    ]
    assert "OperationRecord" in {m.name.split(".")[-1] for m in summary.middleware}


def test_gin_unnamed_group_chains_match_and_a_ui_beside_a_frontend(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "go.mod": "module example.com/notify\n\nrequire github.com/gin-gonic/gin v1.9.1\n",
            "router/router.go": "package router\n\n"
            "import (\n"
            '\t"example.com/notify/auth"\n'
            '\t"example.com/notify/ui"\n'
            '\t"github.com/gin-gonic/gin"\n'
            ")\n\n"
            "func Create() *gin.Engine {\n"
            "\tg := gin.New()\n"
            "\tui.Register(g)\n"
            '\tg.Match([]string{"GET", "HEAD"}, "/health", health)\n'
            "\tg.Use(cors.New(auth.CorsConfig(conf)))\n"
            '\tg.Group("/user").Use(auth.Optional).POST("", createUser)\n'
            '\tg.POST("/auth/local/login", login)\n'
            '\tg.Group("/").Use(auth.RequireClient).POST("/message", createMessage)\n'
            "\treturn g\n"
            "}\n",
            # the React app's package.json shares ui/ with the Go file that serves it
            "ui/package.json": '{"dependencies": {"react": "19"}}',
            "ui/src/index.tsx": "export const x = 1;\n",
            "ui/serve.go": "package ui\n\n"
            'import "github.com/gin-gonic/gin"\n\n'
            "func Register(r *gin.Engine) {\n"
            '\tr.GET("/index.html", serveIndex)\n'
            "}\n",
        },
    )
    assert route_lines(summary) == [
        "GET /health unknown",
        "GET /index.html unknown",
        "HEAD /health unknown",
        "POST /auth/local/login unknown",  # cors.New(auth.CorsConfig(...)) guards nothing
        "POST /message required",
        "POST /user unknown",  # optional auth
    ]


def test_echo_groups_handed_to_functions_of_the_same_package(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "go.mod": "module example.com/todo\n\nrequire github.com/labstack/echo/v4 v4.11.0\n",
            "pkg/routes/routes.go": "package routes\n\n"
            'import "github.com/labstack/echo/v4"\n\n'
            "func RegisterRoutes(e *echo.Echo) {\n"
            '\ta := e.Group("/api/v1")\n'
            "\tregisterAPIRoutes(a)\n"
            "}\n\n"
            "func registerAPIRoutes(a *echo.Group) {\n"
            '\tur := a.Group("")\n'
            "\tur.Use(unauthRateLimit())\n"
            '\tur.POST("/login", login)\n'
            '\tu := a.Group("/user")\n'
            "\tu.Use(echojwt.WithConfig(cfg))\n"
            '\tu.GET("", showUser)\n'
            "\tsetupMetrics(ur)\n"
            "}\n",
            "pkg/routes/metrics.go": "package routes\n\n"
            'import "github.com/labstack/echo/v4"\n\n'
            "func setupMetrics(a *echo.Group) {\n"
            '\ta.GET("/metrics", metrics)\n'
            "}\n",
            # integration-test helpers in a folder named for them are no routes of the app
            "pkg/caldavtests/helpers.go": "package caldavtests\n\n"
            'import "github.com/labstack/echo/v4"\n\n'
            "func caldavGET(e *echo.Echo) {\n"
            '\te.GET("/dav/x", h)\n'
            "}\n",
        },
    )
    assert route_lines(summary) == [
        "GET /api/v1/metrics unknown",
        "GET /api/v1/user required",
        "POST /api/v1/login unknown",  # a rate limit for signed-out callers guards nothing
    ]
    assert summary.warnings == ()


def test_spring_composed_mapping_annotations(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "pom.xml": "<project><dependencies><dependency>"
            "<groupId>org.springframework.boot</groupId>"
            "<artifactId>spring-boot-starter-web</artifactId>"
            "</dependency></dependencies></project>",
            "src/main/java/com/acme/AuthController.java": "package com.acme;\n"
            "@RestController\n"
            '@RequestMapping("/auth")\n'
            "public class AuthController {\n"
            '    @AnonymousPostMapping(value = "/login")\n'
            "    public Token login() { return null; }\n"
            '    @PreAuthorize("isAuthenticated()")\n'
            '    @GetMapping(value = "/info")\n'
            "    public User info() { return null; }\n"
            "    @AnonymousAccess\n"
            '    @RequestMapping("/notify")\n'
            "    public void notifyPayment() {}\n"
            "}\n",
        },
    )
    assert route_lines(summary) == [
        "ANY /auth/notify public",
        "GET /auth/info required",
        "POST /auth/login public",
    ]


def test_a_database_session_middleware_is_not_a_guard(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "requirements.txt": "fastapi\n",
            "main.py": "from fastapi import FastAPI\n"
            "app = FastAPI()\n"
            '@app.middleware("http")\n'
            "async def db_session_middleware(request, call_next):\n"
            "    return await call_next(request)\n"
            '@app.get("/healthcheck")\n'
            "def healthcheck(): ...\n",
        },
    )
    assert [(r.path, r.auth) for r in summary.routes] == [("/healthcheck", "unknown")]
    assert [m.name for m in summary.middleware] == ["db_session_middleware"]


def test_go_error_values_and_bun_models(make_repo) -> None:
    summary = scan(open_repo(make_repo("chi-app"), 1 << 20))
    assert [(e.name, e.kind, e.evidence[0].line) for e in summary.errors] == [
        ("ErrConflict", "value", 13),
        ("ErrNotFound", "value", 10),
    ]  # the var block's other names are no errors
    assert [(m.name, m.evidence[0].path) for m in summary.models] == [("Account", "store/store.go")]


def test_an_app_handed_to_required_modules_keeps_one_global_chain(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "package.json": '{"dependencies": {"express": "^4"}}',
            "server.js": "const express = require('express');\n"
            "const app = express();\n"
            "app.use(helmet());\n"
            "require('./config/express')(app, passport);\n"
            "require('./config/routes')(app, passport);\n"
            "app.listen(3000);\n",
            "config/express.js": "module.exports = function (app, passport) {\n"
            "  app.use(bodyParser.json());\n"
            "  app.use(passport.session());\n"
            "};\n",
            "config/routes.js": "module.exports = function (app) {\n"
            "  app.get('/articles', articles.index);\n"
            "  app.post('/articles', auth.requiresLogin, articles.create);\n"
            "};\n",
        },
    )
    assert [(m.order, m.name) for m in summary.middleware if m.scope == "global"] == [
        (1, "helmet"),
        (2, "bodyParser.json"),
        (3, "passport.session"),
    ]
    assert route_lines(summary) == [
        "GET /articles unknown",
        "POST /articles required",
    ]
    assert summary.warnings == ()  # the routes' app is the server's app, not an orphan


def test_flask_restx_namespaces_and_smorest_method_views(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "requirements.txt": "flask\nflask-restx\nflask-smorest\n",
            "app.py": "from flask import Flask, Blueprint\n"
            "from flask_restx import Api\n"
            "from flask_smorest import Api as SmorestApi\n"
            "from teams import ns as teams_ns\n"
            "from users import ns as users_ns\n"
            "from pets import blp as pets_blp\n"
            "app = Flask(__name__)\n"
            "api_bp = Blueprint('api', __name__, url_prefix='/api/v1')\n"
            "api = Api(api_bp)\n"
            "api.add_namespace(teams_ns)\n"
            "api.add_namespace(users_ns, path='/people')\n"
            "app.register_blueprint(api_bp)\n"
            "db.init_app(app)\n"
            "smorest = SmorestApi(app)\n"
            "smorest.register_blueprint(pets_blp)\n",
            "teams.py": "from flask_restx import Namespace, Resource\n"
            "ns = Namespace('teams')\n"
            "@ns.route('/')\n"
            "class Teams(Resource):\n"
            "    def get(self): ...\n"
            "    @login_required\n"
            "    def post(self): ...\n"
            "    def helper(self): ...\n"
            "@ns.route('/<int:team_id>')\n"
            "class Team(Resource):\n"
            "    method_decorators = [jwt_required()]\n"
            "    def delete(self, team_id): ...\n",
            "users.py": "from flask_restx import Namespace, Resource\n"
            "ns = Namespace('users')\n"
            "@ns.route('/')\n"
            "class Users(Resource):\n"
            "    def get(self): ...\n",
            "pets.py": "from flask.views import MethodView\n"
            "from flask_smorest import Blueprint\n"
            "blp = Blueprint('pets', __name__, url_prefix='/pets')\n"
            "@blp.route('/')\n"
            "class Pets(MethodView):\n"
            "    def get(self): ...\n",
        },
    )
    assert sorted(f"{r.method} {r.path} {r.auth} {r.handler}" for r in summary.routes) == [
        "DELETE /api/v1/teams/{team_id} required Team.delete",
        "GET /api/v1/people unknown Users.get",  # add_namespace's path, not the namespace's
        "GET /api/v1/teams unknown Teams.get",
        "GET /pets unknown Pets.get",
        "POST /api/v1/teams required Teams.post",
    ]
    assert summary.middleware == ()  # db.init_app(app) is an extension, not middleware


def test_flask_restful_resources_registered_in_another_file(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "requirements.txt": "flask\nflask-restful\n",
            "resources/__init__.py": "",
            "app.py": "from flask import Flask\n"
            "from flask_restful import Api\n"
            "from resources.user import UserResource, UserList\n"
            "app = Flask(__name__)\n"
            "api = Api(app, prefix='/api')\n"
            "api.add_resource(UserList, '/users')\n"
            "api.add_resource(UserResource, '/users/<int:user_id>')\n"
            "api.add_resource(Missing, '/missing')\n",
            "resources/user.py": "from flask_restful import Resource\n"
            "class UserList(Resource):\n"
            "    def get(self): ...\n"
            "    def post(self): ...\n"
            "class UserResource(Resource):\n"
            "    method_decorators = [jwt_required()]\n"
            "    def get(self, user_id): ...\n"
            "    def delete(self, user_id): ...\n",
        },
    )
    assert sorted(f"{r.method} {r.path} {r.auth} {r.handler}" for r in summary.routes) == [
        "ANY /api/missing unknown Missing",  # a class not found keeps its route, method unknown
        "DELETE /api/users/{user_id} required UserResource.delete",
        "GET /api/users unknown UserList.get",
        "GET /api/users/{user_id} required UserResource.get",
        "POST /api/users unknown UserList.post",
    ]
    assert {r.evidence[0].path for r in summary.routes} == {"app.py"}


def test_a_before_request_hook_behind_login_required_guards_its_blueprint(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "requirements.txt": "flask\nflask-httpauth\n",
            "app/__init__.py": "from flask import Flask\n"
            "def create_app():\n"
            "    app = Flask(__name__)\n"
            "    from .api import api as api_blueprint\n"
            "    app.register_blueprint(api_blueprint, url_prefix='/api/v1')\n"
            "    from .main import main as main_blueprint\n"
            "    app.register_blueprint(main_blueprint)\n"
            "    return app\n",
            "app/api/__init__.py": "from flask import Blueprint\n"
            "api = Blueprint('api', __name__)\n"
            "from . import authentication, posts\n",
            "app/api/authentication.py": "from flask_httpauth import HTTPBasicAuth\n"
            "from . import api\n"
            "auth = HTTPBasicAuth()\n"
            "@api.before_request\n"
            "@auth.login_required\n"
            "def before_request():\n"
            "    pass\n",
            "app/api/posts.py": "from . import api\n@api.route('/posts/')\ndef get_posts(): ...\n",
            "app/main/__init__.py": "from flask import Blueprint\n"
            "main = Blueprint('main', __name__)\n"
            "@main.before_app_request\n"
            "def ping(): ...\n"
            "@main.route('/')\n"
            "def index(): ...\n",
        },
    )
    assert route_lines(summary) == [
        "GET / unknown",  # a hook without a guard decorator guards nothing
        "GET /api/v1/posts required",
    ]


def test_routing_controllers_json_controllers_with_a_route_prefix(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "package.json": '{"dependencies": {"express": "4", "routing-controllers": "0.10"}}',
            "src/app.ts": "import { createExpressServer } from 'routing-controllers';\n"
            "import { UserController } from './controllers/UserController';\n"
            "const app = createExpressServer({\n"
            "  routePrefix: '/api',\n"
            "  controllers: [UserController],\n"
            "});\n"
            "app.listen(3000);\n",
            "src/controllers/UserController.ts": "import { Authorized, Get, JsonController, "
            "Post } from 'routing-controllers';\n"
            "@JsonController('/users')\n"
            "export class UserController {\n"
            "  @Get()\n"
            "  public find() { return []; }\n"
            "  @Authorized()\n"
            "  @Post()\n"
            "  public create() { return {}; }\n"
            "  @Get('/:id')\n"
            "  public one() { return {}; }\n"
            "}\n",
        },
    )
    assert route_lines(summary) == [
        "GET /api/users unknown",
        "GET /api/users/{id} unknown",
        "POST /api/users required",
    ]
    assert "routing-controllers" in {item.name for item in summary.stack}


def test_express_routers_exported_in_an_object_through_an_index_module(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "package.json": '{"dependencies": {"express": "4"}}',
            "server/server.js": "const express = require('express');\n"
            "const routes = require('./routes');\n"
            "const app = express();\n"
            "app.use('/api/v2', routes.api);\n"
            "app.use('/api', routes.api);\n"
            "app.listen(3000);\n",
            "server/routes/index.js": 'module.exports = require("./routes");\n',
            "server/routes/routes.js": "const { Router } = require('express');\n"
            "const link = require('./link.routes');\n"
            "const apiRouter = Router();\n"
            "apiRouter.use('/links', link);\n"
            "module.exports = { api: apiRouter };\n",
            "server/routes/link.routes.js": "const { Router } = require('express');\n"
            "const router = Router();\n"
            "router.get('/', asyncHandler(auth.apikey), asyncHandler(auth.jwt), "
            "asyncHandler(link.get));\n"
            "router.post('/login', auth.featureAccess([true]), validators.login, loginLimiter, "
            "asyncHandler(helpers.verify), asyncHandler(auth.login));\n"
            "router.get('/me', validateToken, users.me);\n"
            "module.exports = router;\n",
        },
    )
    assert sorted(f"{r.method} {r.path} {r.auth} {r.handler}" for r in summary.routes) == [
        "GET /api/links required link.get",  # asyncHandler(auth.jwt) is auth.jwt
        "GET /api/links/me required users.me",  # validating a token is a guard
        "GET /api/v2/links required link.get",
        "GET /api/v2/links/me required users.me",
        # a feature flag, a validator, a rate limiter and a result check guard nothing
        "POST /api/links/login unknown auth.login",
        "POST /api/v2/links/login unknown auth.login",
    ]


def test_passport_sign_in_strategies_are_no_guards(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "package.json": '{"dependencies": {"express": "4", "passport": "0.7"}}',
            "app.js": "const express = require('express');\n"
            "const passport = require('passport');\n"
            "const app = express();\n"
            "app.post('/login', passport.authenticate('local'), users.login);\n"
            "app.get('/auth/twitch/callback', passport.authenticate('twitch', "
            "{ failureRedirect: '/login' }), users.done);\n"
            "app.get('/api/me', passport.authenticate('jwt', { session: false }), users.me);\n"
            "app.listen(3000);\n",
        },
    )
    assert route_lines(summary) == [
        "GET /api/me required",
        "GET /auth/twitch/callback unknown",  # a provider's sign-in flow, open to anyone
        "POST /login unknown",
    ]
    assert "passport.authenticate('jwt')" in {m.name for m in summary.middleware}


def test_fastify_route_options_autoload_without_folder_prefixes(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "package.json": '{"dependencies": {"fastify": "4", "@fastify/autoload": "5", '
            '"@fastify/jwt": "8", "fastify-plugin": "4"}}',
            "index.js": "const startServer = require('./lib/server')\n"
            "const server = require('fastify')()\n"
            "server.register(startServer, config)\n"
            "server.listen({ port: 3000 })\n",
            "lib/server.js": "const path = require('path')\n"
            "const fp = require('fastify-plugin')\n"
            "const autoLoad = require('@fastify/autoload')\n"
            "async function plugin (server, config) {\n"
            "  server\n"
            "    .register(require('@fastify/jwt'), { secret: config.secret })\n"
            "    .register(autoLoad, { dir: path.join(__dirname, 'routes'), "
            "dirNameRoutePrefix: false })\n"
            "}\n"
            "module.exports = fp(plugin)\n",
            "lib/routes/tags/index.js": "const fp = require('fastify-plugin')\n"
            "async function tags (server, options) {\n"
            "  server.route({ method: 'GET', path: options.prefix + 'tags', "
            "onRequest: [server.authenticate_optional], handler: onGetTags })\n"
            "  server.route({ method: 'POST', url: '/tags', "
            "onRequest: [server.authenticate], handler: onPostTag })\n"
            "}\n"
            "module.exports = fp(tags)\n",
            # fastify().withTypeProvider() chains, and a plugin registered in a route's chain
            "api/server.ts": "import fastify from 'fastify'\n"
            "import fastifyJwt from '@fastify/jwt'\n"
            "import { getProfile } from './routes/get-profile'\n"
            "import { signIn } from './routes/sign-in'\n"
            "const app = fastify().withTypeProvider<ZodTypeProvider>()\n"
            "app.register(fastifyJwt, { secret: 'x' })\n"
            "app.register(getProfile)\n"
            "app.register(signIn)\n"
            "app.listen({ port: 3333 })\n",
            "api/routes/get-profile.ts": "import { auth } from '../middlewares/auth'\n"
            "export async function getProfile(app: FastifyInstance) {\n"
            "  app.withTypeProvider<ZodTypeProvider>().register(auth).get('/profile', {}, "
            "async () => ({}))\n"
            "}\n",
            "api/routes/sign-in.ts": "export async function signIn(app: FastifyInstance) {\n"
            "  app.withTypeProvider<ZodTypeProvider>().post('/sessions', {}, async () => ({}))\n"
            "}\n",
        },
    )
    assert route_lines(summary) == [
        "GET /profile required",  # behind the auth plugin registered in its chain
        "GET /tags unknown",  # optional authentication
        "POST /sessions unknown",  # registering @fastify/jwt guards nothing by itself
        "POST /tags required",
    ]
    assert [w.split(": ", 1)[0] for w in summary.warnings] == ["lib/routes/tags/index.js:3"]


def test_koa_apps_mounted_with_koa_mount(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "package.json": '{"dependencies": {"koa": "2", "koa-router": "12", "koa-mount": "4"}}',
            "server/web.ts": "import Koa from 'koa';\n"
            "import mount from 'koa-mount';\n"
            "import api from './api';\n"
            "import routes from './routes';\n"
            "const app = new Koa();\n"
            "app.use(mount('/api', api));\n"
            "app.use(mount(routes));\n"
            "app.listen(3000);\n",
            "server/api.ts": "import Koa from 'koa';\n"
            "import Router from 'koa-router';\n"
            "import auth from './middlewares/authentication';\n"
            "const api = new Koa();\n"
            "const router = new Router();\n"
            "router.post('documents.list', auth(), async (ctx) => {});\n"
            "api.use(router.routes());\n"
            "export default api;\n",
            "server/routes.ts": "import Koa from 'koa';\n"
            "import Router from 'koa-router';\n"
            "const app = new Koa();\n"
            "const router = new Router();\n"
            "const cache = new Map();\n"
            "router.get('/robots.txt', (ctx) => { cache.get(ctx.path); });\n"
            "router.get(['/.well-known/oauth', '/.well-known/oauth/mcp'], wellKnown);\n"
            "app.use(router.routes());\n"
            "export default app;\n",
        },
    )
    assert route_lines(summary) == [
        "GET /.well-known/oauth unknown",  # one route per path of an array
        "GET /.well-known/oauth/mcp unknown",
        "GET /robots.txt unknown",
        "POST /api/documents.list required",
    ]
    assert summary.warnings == ()  # cache.get(ctx.path) is no route


def test_nest_rate_limit_guards_guard_nothing(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "package.json": '{"dependencies": {"@nestjs/core": "10", "@nestjs/throttler": "5"}}',
            "src/auth.controller.ts": "import { Controller, Get, UseGuards } "
            "from '@nestjs/common';\n"
            "@UseGuards(ThrottlerBehindProxyGuard)\n"
            "@Controller('auth')\n"
            "export class AuthController {\n"
            "  @Get('providers')\n"
            "  providers() {}\n"
            "  @Get('microsoft')\n"
            "  @UseGuards(MicrosoftSSOGuard)\n"
            "  microsoft() {}\n"
            "  @Get('licence')\n"
            "  @UseGuards(SoftwareKeyAuthGuard)\n"
            "  licence() {}\n"
            "  @Get('me')\n"
            "  @UseGuards(JwtAuthGuard)\n"
            "  me() {}\n"
            "}\n",
        },
    )
    assert route_lines(summary) == [
        "GET /auth/licence required",  # "Software" is no optional ("soft") auth
        "GET /auth/me required",
        "GET /auth/microsoft unknown",  # an SSO strategy signs a visitor in
        "GET /auth/providers unknown",  # a throttler is a rate limit, not an auth guard
    ]


def test_typescript_route_classes_with_template_paths(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "package.json": '{"dependencies": {"express": "^4"}}',
            "src/app.ts": "import express from 'express';\n"
            "class App {\n"
            "  public app: express.Application;\n"
            "  constructor(routes: Routes[]) {\n"
            "    this.app = express();\n"
            "    this.app.use(express.json());\n"
            "    routes.forEach(route => { this.app.use('/api', route.router); });\n"
            "  }\n"
            "}\n",
            "src/routes/users.route.ts": "import { Router } from 'express';\n"
            "const BASE = '/v2';\n"
            "export class UsersRoute {\n"
            "  public path = '/users';\n"
            "  public router = Router();\n"
            "  constructor() {\n"
            "    this.router.get(`${this.path}`, this.controller.list);\n"
            "    this.router.get(`${this.path}/:id(\\\\d+)`, this.controller.get);\n"
            "    this.router.post(`${BASE}${this.path}`, authMiddleware, this.controller.create);\n"
            "    this.router.delete(`${this.path}/${id}`, authMiddleware,"
            " this.controller.remove);\n"
            "  }\n"
            "}\n",
        },
    )
    assert route_lines(summary) == [
        "GET /users unknown",
        "GET /users/{id} unknown",
        "POST /v2/users required",
    ]
    assert {(m.scope, m.name) for m in summary.middleware} == {
        ("global", "express.json"),
        ("route", "authMiddleware"),
    }  # route.router, mounted in a loop, is not middleware
    assert sorted(w.split(":")[0] + ":" + w.split(":")[1] for w in summary.warnings) == [
        "src/routes/users.route.ts:10",  # `${id}` is no constant: left out, said so
        "src/routes/users.route.ts:5",  # the router's mount could not be followed
    ]


def test_gin_plugin_routes_behind_an_uncalled_setup_function(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "go.mod": "module example.com/admin\n\nrequire github.com/gin-gonic/gin v1.9.1\n",
            "main.go": "package main\n\n"
            'import "github.com/gin-gonic/gin"\n\n'
            "func main() {\n"
            "\tr := gin.New()\n"
            '\tr.GET("/health", health)\n'
            '\tr.Run(":8080")\n'
            "}\n",
            "plugin/setup.go": "package plugin\n\n"
            'import "github.com/gin-gonic/gin"\n\n'
            "func Router(engine *gin.Engine) {\n"
            '\tprivate := engine.Group("api").Group("v1")\n'
            "\tprivate.Use(middleware.JWTAuth())\n"
            "\tRouterGroupApp.InitCliRouter(private)\n"
            "}\n",
            "plugin/cli.go": "package plugin\n\n"
            'import "github.com/gin-gonic/gin"\n\n'
            "type CliRouter struct{}\n\n"
            "func (s *CliRouter) InitCliRouter(Router *gin.RouterGroup) {\n"
            '\tcli := Router.Group("cli")\n'
            '\tcli.POST("createCli", createCli)\n'
            "}\n",
        },
    )
    assert route_lines(summary) == [
        "GET /health unknown",
        "POST /api/v1/cli/createCli required",  # reached from the top of its own chain
    ]
    assert summary.warnings == (
        "plugin/setup.go:5: router Router.engine is not mounted by any app found; its routes "
        "are listed without a prefix",
    )


def test_echo_handlers_handed_to_same_named_functions_by_import_alias(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text(
        "module example.com/gorsk\n\nrequire github.com/labstack/echo v3.3.10\n"
    )
    files = {
        "pkg/server/server.go": (
            "package server\n\n"
            'import "github.com/labstack/echo"\n\n'
            "func New() *echo.Echo {\n"
            "\te := echo.New()\n"
            "\te.Use(middleware.Logger(), middleware.Recover())\n"
            '\te.GET("/", healthCheck)\n'
            "\treturn e\n"
            "}\n"
        ),
        "pkg/api/api.go": (
            "package api\n\n"
            "import (\n"
            '\tat "example.com/gorsk/pkg/api/auth/transport"\n'
            '\tut "example.com/gorsk/pkg/api/user/transport"\n'
            '\t"example.com/gorsk/pkg/server"\n'
            ")\n\n"
            "func Start() {\n"
            "\te := server.New()\n"
            "\tat.NewHTTP(svc, e)\n"
            '\tv1 := e.Group("/v1")\n'
            "\tv1.Use(authMiddleware)\n"
            "\tut.NewHTTP(svc, v1)\n"
            "}\n"
        ),
        "pkg/api/auth/transport/http.go": (
            "package transport\n\n"
            'import "github.com/labstack/echo"\n\n'
            "func NewHTTP(svc Service, e *echo.Echo) {\n"
            '\te.POST("/login", h.login)\n'
            '\te.GET("/me", h.me, mw)\n'
            "}\n"
        ),
        "pkg/api/user/transport/http.go": (
            "package transport\n\n"
            'import "github.com/labstack/echo"\n\n'
            "func NewHTTP(svc Service, r *echo.Group) {\n"
            '\tur := r.Group("/users")\n'
            '\tur.GET("", h.list)\n'
            "}\n"
        ),
    }
    summary = scan_files(tmp_path, files)
    assert sorted(f"{r.method} {r.path} {r.auth} {r.handler}" for r in summary.routes) == [
        "GET / unknown healthCheck",
        "GET /me unknown h.me",  # Echo: the handler comes before its middleware
        "GET /v1/users required h.list",
        "POST /login unknown h.login",
    ]
    assert [(m.order, m.name) for m in summary.middleware if m.scope == "global"] == [
        (1, "middleware.Logger"),
        (2, "middleware.Recover"),
    ]  # the app server.New() makes is the app Start() serves
    assert summary.warnings == ()


def test_a_module_named_example_inside_the_code_is_read(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text(
        "module example.com/admin\n\nrequire github.com/gin-gonic/gin v1.9.1\n"
    )
    files = {
        "server/main.go": (
            "package main\n\n"
            "import (\n"
            '\t"example.com/admin/server/router/example"\n'
            '\t"github.com/gin-gonic/gin"\n'
            ")\n\n"
            "func main() {\n"
            "\tr := gin.New()\n"
            '\texample.InitCustomerRouter(r.Group("/api"))\n'
            '\tr.Run(":8080")\n'
            "}\n"
        ),
        "server/router/example/customer.go": (
            "package example\n\n"
            'import "github.com/gin-gonic/gin"\n\n'
            "func InitCustomerRouter(Router *gin.RouterGroup) {\n"
            '\tRouter.GET("customer", getCustomer)\n'
            "}\n"
        ),
        "example/demo.go": (
            "package main\n\n"
            'import "github.com/gin-gonic/gin"\n\n'
            "func main() {\n"
            "\tr := gin.New()\n"
            '\tr.GET("/demo", demo)\n'
            "}\n"
        ),
    }
    summary = scan_files(tmp_path, files)
    # server/router/example/ is a module of the backend; the top-level example/ is a demo
    assert [(r.method, r.path) for r in summary.routes] == [("GET", "/api/customer")]


def test_routes_registered_through_project_helpers_are_followed(tmp_path: Path) -> None:
    """Helpers that take the router, verb and path as parameters (rest parameters read by
    position), called with literals in other files, through a wrapper of a wrapper and on
    a router that is itself a parameter of the caller."""
    summary = scan_files(
        tmp_path,
        {
            "package.json": '{"dependencies": {"express": "^4"}}',
            "src/routes/helpers.js": "const helpers = module.exports;\n"
            "helpers.page = function (...args) {\n"
            "  const [router, name] = args;\n"
            "  const controller = args[args.length - 1];\n"
            "  router.get(name, middleware.buildHeader, controller);\n"
            "  router.get(`/api${name}`, controller);\n"
            "};\n"
            "helpers.api = function (router, verb, name, middlewares, controller) {\n"
            "  router[verb](name, middlewares, controller);\n"
            "};\n",
            "src/routes/pages.js": "const { page } = require('./helpers');\n"
            "function adminPage(router, path, handler) {\n"
            "  page(router, '/admin' + path, [middleware.isAdmin], handler);\n"
            "}\n"
            "function settingsPage(router, path, handler) { adminPage(router, path, handler); }\n"
            "module.exports = (app, middleware, controllers) => {\n"
            "  page(app, '/login', [], controllers.login);\n"
            "  settingsPage(app, '/settings', controllers.settings);\n"
            "  app.post('/compose', middleware.applyCSRF, controllers.compose);\n"
            "};\n",
            "src/routes/users.js": "const router = require('express').Router();\n"
            "const helpers = require('./helpers');\n"
            "module.exports = function () {\n"
            "  const authed = [middleware.ensureLoggedIn];\n"
            "  helpers.api(router, 'post', '/', [middleware.ensureLoggedIn], users.create);\n"
            "  helpers.api(router, 'get', '/:uid', [...authed], users.get);\n"
            "  helpers.api(router, 'get', '/:uid/status', [], users.status);\n"
            "  return router;\n"
            "};\n",
            "src/routes/index.js": "const express = require('express');\n"
            "module.exports = function (params) {\n"
            "  const { router } = params;\n"
            "  router.use('/api/v3/users', require('./users')());\n"
            "};\n",
        },
    )
    assert route_lines(summary) == [
        "GET /admin/settings required",  # the wrapper passes middleware.isAdmin
        "GET /api/admin/settings required",
        "GET /api/login unknown",
        "GET /api/v3/users/{uid} required",  # [...authed], a list bound above
        "GET /api/v3/users/{uid}/status unknown",
        "GET /login unknown",
        "POST /api/v3/users required",
        "POST /compose unknown",
    ]
    route = next(r for r in summary.routes if r.path == "/login")
    assert (route.handler, route.evidence[0].path, route.evidence[0].line) == (
        "controllers.login", "src/routes/pages.js", 7,
    )  # fmt: skip


def test_spring_functional_endpoints_with_nested_prefixes(tmp_path: Path) -> None:
    """WebFlux router functions: builder verbs, request predicates, path() and nest()
    prefixes (a lambda, or a method of the class that builds the nested routes), and a
    router function handed to other code, which is listed with a warning."""
    summary = scan_files(
        tmp_path,
        {
            "pom.xml": "<project><dependencies><dependency><groupId>org.springframework.boot"
            "</groupId><artifactId>spring-boot-starter-webflux</artifactId></dependency>"
            "</dependencies></project>",
            "src/main/java/shop/Routes.java": "package shop;\n"
            "import static org.springframework.web.reactive.function.server.RequestPredicates.*;\n"
            "import static org.springframework.web.reactive.function.server.RouterFunctions.*;\n"
            "@Configuration\n"
            "class Routes {\n"
            "  @Bean\n"
            "  RouterFunction<ServerResponse> shopRoutes(UserHandler users) {\n"
            "    return route()\n"
            '        .path("/api", b -> b\n'
            '            .GET("/users/{id}", users::get)\n'
            '            .POST(path("/users").and(contentType(JSON)), users::create))\n'
            '        .nest(path("/admin"), adminRoutes())\n'
            "        .build()\n"
            '        .and(route(GET("/health"), this::health));\n'
            "  }\n"
            "  RouterFunction<ServerResponse> adminRoutes() {\n"
            '    return route().DELETE("/cache", this::clearCache).build();\n'
            "  }\n"
            "}\n",
            "src/main/java/shop/TagEndpoint.java": "package shop;\n"
            "class TagEndpoint implements CustomEndpoint {\n"
            "  public RouterFunction<ServerResponse> endpoint() {\n"
            '    return SpringdocRouteBuilder.route().GET("tags", this::list, b -> b.tag("t"))\n'
            "        .build();\n"
            "  }\n"
            "}\n",
        },
    )
    assert sorted(f"{r.method} {r.path} {r.handler}" for r in summary.routes) == [
        "DELETE /admin/cache Routes.clearCache",
        "GET /api/users/{id} users.get",
        "GET /health Routes.health",
        "GET /tags TagEndpoint.list",
        "POST /api/users users.create",
    ]
    assert next(r for r in summary.routes if r.method == "DELETE").evidence[0].line == 17
    assert (
        "src/main/java/shop/TagEndpoint.java: its router functions are returned to other code, "
        "not declared as a @Bean: a prefix added where they are used is not known, so they are "
        "listed from the root"
    ) in summary.warnings
    assert not any("Routes.java: its router" in w for w in summary.warnings)


def test_python_route_paths_and_prefixes_through_imported_constants(tmp_path: Path) -> None:
    """The same resolver as JavaScript's: a route path named by a constant of another
    module, a sum with it, and a prefix from a settings class's field."""
    summary = scan_files(
        tmp_path,
        {
            "requirements.txt": "fastapi\n",
            "app/core/config.py": "from pydantic_settings import BaseSettings\n"
            "class Settings(BaseSettings):\n"
            '    API_V1_STR: str = "/api/v1"\n'
            "settings = Settings()\n",
            "app/api/paths.py": 'ITEMS = "/items"\n',
            "app/api/items.py": "from fastapi import APIRouter, Depends\n"
            "from app.api.paths import ITEMS\n"
            "router = APIRouter()\n"
            "@router.get(ITEMS)\n"
            "def list_items(): ...\n"
            '@router.delete(ITEMS + "/{item_id}", dependencies=[Depends(get_current_user)])\n'
            "def delete_item(item_id: int): ...\n"
            "@router.get(UNKNOWN_PATH)\n"
            "def other(): ...\n",
            "app/main.py": "from fastapi import FastAPI\n"
            "from app.core.config import settings\n"
            "from app.api import items\n"
            "app = FastAPI()\n"
            "app.include_router(items.router, prefix=settings.API_V1_STR)\n",
        },
    )
    assert route_lines(summary) == [
        "DELETE /api/v1/items/{item_id} required",
        "GET /api/v1/items unknown",
    ]
    assert (
        "app/api/items.py:9: route path UNKNOWN_PATH is not a literal; the route is left out"
    ) in summary.warnings


def test_spring_mappings_through_constants_of_another_class(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "pom.xml": "<project><dependencies><dependency><groupId>org.springframework.boot"
            "</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>"
            "</dependencies></project>",
            "src/main/java/shop/ApiPaths.java": "package shop;\n"
            "public final class ApiPaths {\n"
            '  public static final String V1 = "/api/v1";\n'
            '  public static final String ITEM = "/{id}";\n'
            "}\n",
            "src/main/java/shop/OrderController.java": "package shop;\n"
            "@RestController\n"
            '@RequestMapping(ApiPaths.V1 + "/orders")\n'
            "public class OrderController {\n"
            "  @GetMapping(ApiPaths.ITEM)\n"
            "  public Order get() { return null; }\n"
            "  @PostMapping\n"
            "  public Order create() { return null; }\n"
            "  @DeleteMapping(Elsewhere.GONE)\n"
            "  public void delete() {}\n"
            "}\n",
        },
    )
    assert [(r.method, r.path) for r in summary.routes] == [
        ("POST", "/api/v1/orders"),
        ("GET", "/api/v1/orders/{id}"),
    ]
    assert (
        "src/main/java/shop/OrderController.java:9: route path Elsewhere.GONE is not a literal; "
        "the route is left out"
    ) in summary.warnings


def test_a_list_of_route_middleware_is_read_for_its_members(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "package.json": '{"dependencies": {"express": "^4"}}',
            "app.js": "const express = require('express');\n"
            "const app = express();\n"
            "app.post('/compose', [...common, middleware.ensureLoggedIn], compose);\n"
            "app.get('/feed', [cache], feed);\n"
            "app.listen(3000);\n",
        },
    )
    assert route_lines(summary) == ["GET /feed unknown", "POST /compose required"]
    assert {(m.scope, m.name) for m in summary.middleware} == {
        ("route", "common"), ("route", "middleware.ensureLoggedIn"), ("route", "cache"),
    }  # fmt: skip


def test_a_sum_of_a_literal_a_name_and_a_literal_is_one_path(tmp_path: Path) -> None:
    """('/users/' + ID) + '/posts' nests a sum in a sum: the parts are merged, not misread
    (this once failed the whole file)."""
    summary = scan_files(
        tmp_path,
        {
            "package.json": '{"dependencies": {"express": "^4"}}',
            "app.js": "const express = require('express');\n"
            "const app = express();\n"
            "const ID = ':id';\n"
            "app.get('/users/' + ID + '/posts', posts);\n"
            "track(user, '/seen/' + user.id + '/at', when);\n"
            "app.listen(3000);\n",
        },
    )
    assert route_lines(summary) == ["GET /users/{id}/posts unknown"]
    assert not [w for w in summary.warnings if "could not be read" in w]


def test_flask_add_url_rule_and_the_register_api_helper(tmp_path: Path) -> None:
    """Flask's documented pattern: a register_api(app, view, endpoint, url) function calling
    add_url_rule with its parameter, called with literals; and a FastAPI add_api_route."""
    summary = scan_files(
        tmp_path,
        {
            "requirements.txt": "flask\nfastapi\n",
            "shop/__init__.py": "from flask import Flask\n"
            "from shop.views import UserAPI, ItemAPI\n"
            "app = Flask(__name__)\n\n"
            "def register_api(app, view, endpoint, url):\n"
            "    view_func = view.as_view(endpoint)\n"
            "    app.add_url_rule(url, view_func=view_func, methods=['GET', 'POST'])\n\n"
            "register_api(app, UserAPI, 'users', '/users/')\n"
            "register_api(app, ItemAPI, 'items', '/items/')\n"
            "app.add_url_rule('/health', 'health', health)\n",
            "api/main.py": "from fastapi import FastAPI\n"
            "app = FastAPI()\n"
            "app.add_api_route('/ping', ping, methods=['HEAD'])\n",
        },
    )
    assert [(r.method, r.path, r.handler) for r in summary.routes] == [
        ("GET", "/health", "health"),
        ("GET", "/items", "ItemAPI"),
        ("POST", "/items", "ItemAPI"),
        ("HEAD", "/ping", "ping"),
        ("GET", "/users", "UserAPI"),
        ("POST", "/users", "UserAPI"),
    ]
    assert {r.evidence[0].line for r in summary.routes if r.path == "/users"} == {9}


def test_spring_router_functions_built_by_a_helper_method(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "pom.xml": "<project><dependencies><dependency><groupId>org.springframework.boot"
            "</groupId><artifactId>spring-boot-starter-webflux</artifactId></dependency>"
            "</dependencies></project>",
            "src/main/java/blog/Routes.java": "package blog;\n"
            "@Configuration\n"
            "class Routes {\n"
            "  @Bean\n"
            "  RouterFunction<ServerResponse> routes(PostHandler posts, TagHandler tags) {\n"
            '    return crud("/posts", posts).and(crud("/tags", tags));\n'
            "  }\n"
            "  private RouterFunction<ServerResponse> crud(String base, Handler handler) {\n"
            "    return RouterFunctions.route().GET(base, handler::list)\n"
            "        .POST(base, handler::create).build();\n"
            "  }\n"
            "}\n",
        },
    )
    assert sorted(f"{r.method} {r.path} {r.handler}" for r in summary.routes) == [
        "GET /posts posts", "GET /tags tags", "POST /posts posts", "POST /tags tags",
    ]  # fmt: skip
    assert {r.evidence[0].line for r in summary.routes} == {6}
    assert not any("Routes.java" in w for w in summary.warnings)

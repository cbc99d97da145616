"""Rust: axum and actix-web routes, layers and auth; env vars, entry points, models, errors."""

from __future__ import annotations

import random

from archdraft.repo import open_repo
from archdraft.scan import scan

from .conftest import route_lines, scan_files

CARGO = '[package]\nname = "shop"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\n'

AXUM_MAIN = """\
mod api;
mod users;

use axum::{routing::get, Router, middleware};
use tower_http::trace::TraceLayer;

#[tokio::main]
async fn main() {
    let app = Router::new()
        .route("/health", get(health))
        .nest("/api", api::router())
        .merge(users::routes())
        .layer(TraceLayer::new_for_http())
        .layer(CorsLayer::permissive());
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}

async fn health() -> &'static str { "ok" }
"""

AXUM_API = """\
use axum::{routing::{get, post, on, MethodFilter}, Router, middleware};
use crate::auth::AuthUser;

pub fn router() -> Router {
    let admin = Router::new()
        .route("/stats", get(stats))
        .route_layer(middleware::from_fn(require_auth))
        .route("/ping", get(ping));
    Router::new()
        .route("/items/:id", get(show).delete(remove))
        .route("/files/{*rest}", on(MethodFilter::GET, files))
        .nest("/admin", admin)
}

async fn show(Path(id): Path<u32>, user: Option<AuthUser>) {}
async fn remove(user: AuthUser, Path(id): Path<u32>) {}
async fn files() {}
async fn stats() {}
async fn ping() {}
"""

AXUM_USERS = """\
use axum::{routing::{get, post}, Router, Extension};

pub fn routes() -> Router {
    Router::new().route("/me", get(me)).route("/login", post(login))
}

async fn me(Extension(user): Extension<CurrentUser>) {}
async fn login() {}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn it_works() {
        let app = Router::new().route("/only-in-test", get(super::login));
    }
}
"""


def test_axum_routes_nested_merged_and_guarded_across_modules(tmp_path):
    summary = scan_files(
        tmp_path,
        {
            "Cargo.toml": CARGO,
            "src/main.rs": AXUM_MAIN,
            "src/api/mod.rs": AXUM_API,
            "src/users.rs": AXUM_USERS,
        },
    )
    assert route_lines(summary) == [
        "DELETE /api/items/{id} required",
        "GET /api/admin/ping unknown",
        "GET /api/admin/stats required",
        "GET /api/files/{rest} unknown",
        "GET /api/items/{id} public",
        "GET /health unknown",
        "GET /me required",
        "POST /login unknown",
    ]
    by_path = {(r.method, r.path): r for r in summary.routes}
    assert by_path[("GET", "/api/items/{id}")].evidence[0].path == "src/api/mod.rs"
    assert by_path[("GET", "/api/items/{id}")].evidence[0].line == 10
    assert by_path[("GET", "/api/items/{id}")].handler == "show"
    assert [(m.name, m.scope, m.order) for m in summary.middleware if m.scope == "global"] == [
        ("TraceLayer", "global", 1),
        ("CorsLayer", "global", 2),
    ]
    assert summary.reach.unrouted == 1  # the test module's route is no route of the app
    server = [e for e in summary.entrypoints if e.kind == "server"]
    assert [(e.path, e.line) for e in server] == [("src/main.rs", 16)]  # where it serves


ACTIX_MAIN = """\
use actix_web::{get, post, web, App, HttpServer, middleware::Logger};
use actix_web_httpauth::middleware::HttpAuthentication;

mod handlers;

#[get("/items/{id}")]
async fn item(path: web::Path<u32>) -> impl Responder { "x" }

#[post("/items")]
async fn create(user: Identity) -> impl Responder { "x" }

async fn login(form: web::Json<AuthData>) -> impl Responder { "x" }

fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/tags").route(web::get().to(tags)).route(web::post().to(tags)));
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| {
        App::new()
            .wrap(Logger::default())
            .wrap(SessionMiddleware::new(store, key))
            .service(
                web::scope("/api")
                    .service(item)
                    .service(create)
                    .route("/search", web::get().to(search))
                    .route("/login", web::post().to(login))
                    .configure(config),
            )
            .service(
                web::scope("/admin")
                    .wrap(HttpAuthentication::bearer(validator))
                    .service(handlers::dashboard),
            )
    })
    .bind(("127.0.0.1", 8080))?
    .run()
    .await
}
"""

ACTIX_HANDLERS = """\
use actix_web::{get, Responder};

#[get("/dashboard")]
pub async fn dashboard() -> impl Responder { "x" }
"""


def test_actix_scopes_resources_macros_and_wrap_auth(tmp_path):
    cargo = CARGO.replace('axum = "0.7"', 'actix-web = "4"')
    summary = scan_files(
        tmp_path,
        {"Cargo.toml": cargo, "src/main.rs": ACTIX_MAIN, "src/handlers.rs": ACTIX_HANDLERS},
    )
    assert route_lines(summary) == [
        "GET /admin/dashboard required",
        "GET /api/items/{id} unknown",
        "GET /api/search unknown",
        "GET /api/tags unknown",
        "POST /api/items required",
        "POST /api/login unknown",  # a body named Auth* is no caller's identity
        "POST /api/tags unknown",
    ]
    dashboard = next(r for r in summary.routes if r.path == "/admin/dashboard")
    assert (dashboard.evidence[0].path, dashboard.evidence[0].line) == ("src/handlers.rs", 3)
    assert dashboard.handler == "dashboard"
    # a session finds out who calls and lets everyone in: middleware, no guard
    assert [m.name for m in summary.middleware if m.scope == "global"] == [
        "Logger",
        "SessionMiddleware",
    ]
    assert summary.reach.unrouted == 0
    assert [(e.path, e.kind) for e in summary.entrypoints] == [("src/main.rs", "server")]


def test_rust_env_vars_models_and_errors(tmp_path):
    summary = scan_files(
        tmp_path,
        {
            "Cargo.toml": CARGO,
            "src/config.rs": """\
use std::env;

#[derive(clap::Parser)]
pub struct Config {
    #[clap(long, env)]
    pub database_url: String,
    #[arg(long, env = "APP_PORT")]
    pub port: u16,
}

#[derive(serde::Deserialize)]
struct Settings { redis_url: String }

pub fn load() {
    let key = env::var("SECRET_KEY").unwrap();
    let home = std::env::var_os("HOME");
    let token = dotenvy::var("API_TOKEN");
    let s = envy::prefixed("SHOP_").from_env::<Settings>();
    let from_value = env::var(name);
}
""",
            "src/schema.rs": "diesel::table! {\n    orders (id) {\n        id -> Int4,\n    }\n}\n",
            "src/models.rs": """\
#[derive(sqlx::FromRow, Debug)]
pub struct Product { id: i64 }

#[derive(DeriveEntityModel)]
#[sea_orm(table_name = "carts")]
pub struct Model { id: i32 }

#[derive(thiserror::Error, Debug)]
pub enum ApiError { #[error("x")] NotFound }

impl IntoResponse for ApiError {
    fn into_response(self) -> Response { todo!() }
}
""",
        },
    )
    env = {e.name: (e.evidence[0].path, e.evidence[0].line) for e in summary.env_vars}
    assert env == {
        "APP_PORT": ("src/config.rs", 8),
        "API_TOKEN": ("src/config.rs", 17),
        "DATABASE_URL": ("src/config.rs", 6),
        "HOME": ("src/config.rs", 16),
        "SECRET_KEY": ("src/config.rs", 15),
        "SHOP_REDIS_URL": ("src/config.rs", 12),
    }
    assert sorted((m.name, m.kind) for m in summary.models) == [
        ("Product", "orm_model"),
        ("carts", "orm_model"),
        ("orders", "table"),
    ]
    assert sorted((e.name, e.kind, e.evidence[0].line) for e in summary.errors) == [
        ("ApiError", "class", 9),
        ("ApiError", "handler", 11),
    ]


def test_rust_odd_and_random_sources_never_fail_the_scan(tmp_path):
    rng = random.Random(14)
    files = {"Cargo.toml": CARGO}
    odd = [
        'fn r() -> Router { Router::new().route(concat!("/a", "b"), get(h)).nest(X, y()) }',
        'fn r() -> Router { Router::new().route("/a", ).nest("/b").merge().layer() }',
        "fn r() -> Router { " + "Router::new()" + '.route("/x", get(h))' * 400 + " }",
        'fn r() -> Router { r(r(r(r()))).route("/\\u{0}\\"", get(h)) }',
        '#[get()] fn a() {}\n#[route("/x", method = )] fn b() {}\n#[get("/{a")] fn c() {}',
        "fn main() { std::env::var(); env::var(1); envy::from_env::<>(); HttpServer::new() }",
        "table! {} table! { ( ) } impl IntoResponse for {}",
        "fn f(cfg: &mut web::ServiceConfig) { cfg.service(cfg).configure(f) }",
        "use crate::{self, super::*, a as};\nfn f() -> Router { a::b::c::d() }",
    ]
    for i, text in enumerate(odd):
        files[f"src/odd{i}.rs"] = text
    for i in range(8):
        size = rng.randint(1, 3000)
        files[f"src/rand{i}.rs"] = "".join(chr(rng.randint(1, 0x2FF)) for _ in range(size))
    files["src/ok.rs"] = 'fn r() -> Router { Router::new().route("/ok", get(h)) }\n'
    summary = scan_files(tmp_path, files)
    assert not [w for w in summary.warnings if "skipped" in w]
    assert "GET /ok unknown" in route_lines(summary)  # the odd files beside it took nothing


def test_axum_guard_layer_covers_mounts_before_it_and_modules_resolve_through_use(tmp_path):
    summary = scan_files(
        tmp_path,
        {
            "Cargo.toml": CARGO,
            "src/bin/server.rs": """\
use shop::routes::build as api;

#[tokio::main]
async fn main() {
    let mut app = Router::new();
    app = app.route("/", get(index));
    let app = app.merge(api());
    axum::serve(listener, app.into_make_service()).await;
}
""",
            "src/lib.rs": "pub mod routes;\n",
            "src/routes/mod.rs": """\
mod account;

pub fn build() -> Router {
    Router::new()
        .nest("/account", account::router())
        .layer(ValidateRequestHeaderLayer::bearer("secret"))
        .route("/open", get(open))
}
""",
            "src/routes/account.rs": """\
pub fn router() -> Router {
    Router::new().route("/", get(show)).route("/:id", axum::routing::put(update))
}
""",
        },
    )
    assert route_lines(summary) == [
        "GET / unknown",
        "GET /account required",
        "GET /open unknown",
        "PUT /account/{id} required",
    ]
    assert [(e.path, e.kind) for e in summary.entrypoints] == [("src/bin/server.rs", "server")]


def test_axum_app_built_in_another_module_and_served_from_main_is_the_app(tmp_path):
    # main names no Router: it serves what routes::app() builds, and that router's layers
    # are the app's global chain, in order; a merged router's own layer stays its group's
    main = (
        "mod routes;\n\n#[tokio::main]\nasync fn main() {\n"
        "    let app = routes::app();\n"
        '    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();\n'
        "    axum::serve(listener, app).await.unwrap();\n}\n"
    )
    routes = (
        "mod health;\n\npub fn app() -> Router {\n    Router::new()\n"
        '        .route("/items", get(list))\n'
        "        .merge(health::router())\n"
        "        .layer(TraceLayer::new_for_http())\n"
        "        .layer(CorsLayer::permissive())\n}\n"
    )
    health = (
        'pub fn router() -> Router {\n    Router::new().route("/healthz", get(ok))\n'
        "        .layer(CompressionLayer::new())\n}\n"
    )
    summary = scan_files(
        tmp_path,
        {
            "Cargo.toml": CARGO,
            "src/main.rs": main,
            "src/routes/mod.rs": routes,
            "src/routes/health.rs": health,
            "tests/api.rs": "#[test]\nfn ok() {}\n",
        },
    )
    assert route_lines(summary) == ["GET /healthz unknown", "GET /items unknown"]
    assert [(m.name, m.scope, m.order) for m in summary.middleware] == [
        ("TraceLayer", "global", 1),
        ("CorsLayer", "global", 2),
        ("CompressionLayer", "group", None),
    ]
    assert not summary.warnings
    # Cargo's tests/ folder holds integration tests
    assert [(t.kind, t.path) for t in summary.tests] == [("integration", "tests")]


def test_axum_fixture_facts(make_repo):
    summary = scan(open_repo(make_repo("axum-app"), 1 << 20))
    stack = {(s.category, s.name): s.version for s in summary.stack}
    assert stack[("framework", "axum")] == "0.7"
    assert stack[("orm", "SQLx")] == "0.7"
    assert ("database", "PostgreSQL") in stack
    assert stack[("auth", "jsonwebtoken")] == "9.3"
    assert ("testing", "cargo test") in stack
    assert ("linting", "Clippy") in stack
    assert ("formatting", "rustfmt") in stack
    assert stack[("runtime", "Rust")] == "1.78"
    assert sorted(m.name for m in summary.models) == ["Author", "Book", "User"]
    assert {m.kind for m in summary.models} == {"orm_model"}
    # the integration tests' BOOKSHELF_URL is the tests', not the app's
    assert {v.name for v in summary.env_vars} == {"DATABASE_URL", "JWT_SECRET", "PORT", "RUST_LOG"}
    assert [(e.path, e.kind) for e in summary.entrypoints] == [("src/main.rs", "server")]
    assert [(m.name, m.scope, m.order) for m in summary.middleware] == [
        ("TraceLayer", "global", 1),
        ("CompressionLayer", "global", 2),
        ("TimeoutLayer", "global", 3),
        ("CorsLayer", "global", 4),
        ("require_auth", "group", None),
    ]
    errors = {(e.kind, e.name) for e in summary.errors}
    assert errors == {("class", "AppError"), ("handler", "AppError")}
    assert [a.method for a in summary.auth] == ["jwt"]


def test_tracing_env_filter_reads_the_variable_it_names_or_rust_log(tmp_path):
    main = (
        "use tracing_subscriber::EnvFilter;\n\nfn main() {\n"
        '    let a = EnvFilter::try_from_env("APP_LOG");\n'
        "    let b = EnvFilter::from_default_env();\n}\n"
    )
    summary = scan_files(tmp_path, {"Cargo.toml": CARGO, "src/main.rs": main})
    found = {v.name: [(e.path, e.line) for e in v.evidence] for v in summary.env_vars}
    assert found == {"APP_LOG": [("src/main.rs", 4)], "RUST_LOG": [("src/main.rs", 5)]}


def test_actix_names_a_glob_import_of_web_brings_and_comments_among_arguments(tmp_path):
    routes = """use actix_web::{guard, web::*};
use crate::handlers::{create_post, get_post, list_posts, search};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/api/v4")
            .service(resource("/search").route(get().to(search)))
            .service(
                // POST has its own rate limit
                resource("/post")
                    .guard(guard::Post())
                    .route(post().to(create_post)),
            )
            .service(
                scope("/post")
                    .route("", get().to(get_post))
                    .route("/list", get().to(list_posts)),
            ),
    );
}
"""
    main = """use actix_web::{App, HttpServer};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| App::new().configure(routes::config)).bind("0.0.0.0:8536")?.run().await
}
"""
    summary = scan_files(
        tmp_path,
        {"Cargo.toml": '[package]\nname = "x"\n\n[dependencies]\nactix-web = "4"\n',
         "src/main.rs": main, "src/routes.rs": routes},
    )  # fmt: skip
    assert route_lines(summary) == [
        "GET /api/v4/post unknown",
        "GET /api/v4/post/list unknown",
        "GET /api/v4/search unknown",
        "POST /api/v4/post unknown",
    ]


# A workspace shaped like lemmy's: the extractor is declared in one crate, the handlers in
# a second and the routes in a third, which names the handlers through the crate's name.
_WORKSPACE_CARGO = '[workspace]\nmembers = ["crates/*"]\n'
_VIEWS = """use actix_web::{dev::Payload, FromRequest, HttpMessage, HttpRequest};
use std::future::{ready, Ready};

#[derive(Clone)]
pub struct LocalUserView { pub id: i32 }

impl FromRequest for LocalUserView {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        // a comment saying nothing of who calls
        ready(match req.extensions().get::<LocalUserView>() {
            Some(c) => Ok(c.clone()),
            None => Err(actix_web::error::ErrorBadRequest("incorrect_login")),
        })
    }
}

/// A pooled connection: it rejects when the pool is exhausted, whoever calls.
pub struct DbConn(pub Pool);

impl FromRequest for DbConn {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let pool = req.app_data::<Pool>().cloned();
        ready(pool.map(DbConn).ok_or_else(|| actix_web::error::ErrorInternalServerError("pool")))
    }
}

/// Never rejects: the caller's locale, or the default one.
pub struct UserLocale(pub String);

impl FromRequest for UserLocale {
    type Error = std::convert::Infallible;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        ready(Ok(UserLocale(req.headers().get("accept-language").map_or("en", |_| "de").into())))
    }
}
"""
_HANDLERS = """use actix_web::web::{Data, Json, Query};
use views::{DbConn, LocalUserView, UserLocale};

pub async fn get_site(view: Option<LocalUserView>, conn: DbConn) -> Json<()> { Json(()) }
pub async fn like_post(Json(data): Json<Like>, view: views::LocalUserView) -> Json<()> { Json(()) }
pub async fn list_posts(Query(q): Query<ListPosts>, conn: DbConn, locale: UserLocale) -> Json<()> {
    Json(())
}
"""
_ROUTES = """use actix_web::web;
use lemmy_api::post::{like_post, list_posts};
use lemmy_api::site::get_site;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v4")
            .route("/site", web::get().to(get_site))
            .route("/post/like", web::post().to(like_post))
            .route("/post/list", web::get().to(list_posts)),
    );
}
"""


def test_a_rejecting_extractor_in_another_crate_guards_the_handlers_taking_it(tmp_path):
    summary = scan_files(
        tmp_path,
        {
            "Cargo.toml": _WORKSPACE_CARGO,
            "crates/views/Cargo.toml": '[package]\nname = "views"\n',
            "crates/views/src/lib.rs": _VIEWS,
            "crates/api/Cargo.toml": '[package]\nname = "lemmy-api"\n',
            "crates/api/src/lib.rs": "pub mod post;\npub mod site;\n",
            "crates/api/src/post.rs": _HANDLERS,
            "crates/api/src/site.rs": _HANDLERS,
            "crates/routes/Cargo.toml": '[package]\nname = "routes"\n',
            "crates/routes/src/lib.rs": _ROUTES,
        },
    )
    # required and optional through the FromRequest impl; a connection extractor that
    # rejects and one that never does are no guards
    assert route_lines(summary) == [
        "GET /api/v4/post/list unknown",
        "GET /api/v4/site public",
        "POST /api/v4/post/like required",
    ]
    assert {r.evidence[0].path for r in summary.routes} == {"crates/routes/src/lib.rs"}


def test_axum_extractor_impls_decide_by_rejection_and_identity(tmp_path):
    main = """use axum::{async_trait, extract::FromRequestParts, routing::get, Router};
use axum::http::{request::Parts, StatusCode};

pub struct Caller { pub id: u64 }

#[async_trait]
impl<S> axum::extract::FromRequestParts<S> for Caller
where
    S: Send + Sync,
{
    type Rejection = StatusCode;
    async fn from_request_parts(parts: &mut Parts, _s: &S) -> Result<Self, Self::Rejection> {
        let token = parts.headers.get("x-api-token").ok_or(StatusCode::UNAUTHORIZED)?;
        Ok(Caller { id: token.len() as u64 })
    }
}

/// Rejects when the caller is unknown, but says it only through its error value.
pub struct Member(pub u64);

impl<S: Send + Sync> FromRequestParts<S> for Member {
    type Rejection = MemberRejection;
    async fn from_request_parts(parts: &mut Parts, _s: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<u64>().copied().map(Member).ok_or(MemberRejection::NotSignedIn)
    }
}

pub struct Page(pub u32);

impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = StatusCode;
    async fn from_request_parts(parts: &mut Parts, _s: &S) -> Result<Self, Self::Rejection> {
        // a page the user asks for
        let page = parts.uri.query().unwrap_or("1").parse().map_err(|_| StatusCode::BAD_REQUEST)?;
        Ok(Page(page))
    }
}

async fn mine(Caller { id }: Caller) {}
async fn feed(member: Option<Member>, page: Page) {}
async fn browse(page: Page) {}

fn main() {
    let app: Router = Router::new()
        .route("/mine", get(mine))
        .route("/feed", get(feed))
        .route("/browse", get(browse));
    axum::serve(listener, app);
}
"""
    summary = scan_files(tmp_path, {"Cargo.toml": CARGO, "src/main.rs": main})
    # Member names no identity in its name or code: left to the name rule, unknown
    assert route_lines(summary) == [
        "GET /browse unknown",
        "GET /feed unknown",
        "GET /mine required",
    ]


def test_axum_fixture_guard_extractor_from_another_module(make_repo):
    summary = scan(open_repo(make_repo("axum-app"), 1 << 20))
    shelves = [line for line in route_lines(summary) if "/shelves" in line]
    # Patron (src/extract.rs) rejects a request without its session cookie; ValidatedJson
    # rejects bad input only
    assert shelves == [
        "DELETE /api/shelves/{id} required",
        "GET /api/shelves public",
        "POST /api/shelves required",
        "PUT /api/shelves/{id} unknown",
    ]


def test_a_route_path_named_by_a_constant_comes_from_the_constant_or_is_left_out(tmp_path):
    """``.route(uri::V1_AUTH_VALID, ..)`` takes the path a ``const`` declares, here in a
    module of its own that holds nothing else; a path no constant answers is left out with
    a warning, never listed at its router's prefix."""
    main = (
        "mod uri;\nuse axum::{routing::get, Router};\n\n#[tokio::main]\nasync fn main() {\n"
        "    let app = Router::new()\n"
        "        .route(uri::V1_AUTH_VALID, get(auth_valid))\n"
        "        .route(STATUS, get(status))\n"
        '        .route(&format!("/v1/{}", NAME), get(named));\n'
        '    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();\n'
        "    axum::serve(listener, app).await.unwrap();\n}\n\n"
        'const STATUS: &str = "/status";\n'
    )
    uri = (
        'pub const V1_AUTH_VALID: &str = "/v1/auth/valid";\n'
        'pub static V1_LOGOUT: &\'static str = "/v1/logout";\n'
    )
    summary = scan_files(tmp_path, {"Cargo.toml": CARGO, "src/main.rs": main, "src/uri.rs": uri})
    assert route_lines(summary) == ["GET /status unknown", "GET /v1/auth/valid unknown"]
    assert any(
        w.startswith("src/main.rs:9: route path &format!") and "left out" in w
        for w in summary.warnings
    ), summary.warnings


def test_an_actix_scope_named_by_a_constant_takes_its_value(tmp_path):
    main = (
        "use actix_web::{web, App, HttpServer};\n\n"
        "#[actix_web::main]\nasync fn main() -> std::io::Result<()> {\n"
        "    HttpServer::new(|| {\n        App::new()\n"
        '            .service(web::scope(API_PREFIX).route("/items", web::get().to(list)))\n'
        '            .service(web::scope(other::PREFIX).route("/x", web::get().to(x)))\n'
        '    })\n    .bind(("0.0.0.0", 8080))?\n    .run()\n    .await\n}\n\n'
        'const API_PREFIX: &str = "/api/v2";\n'
    )
    cargo = CARGO.replace('axum = "0.7"', 'actix-web = "4"')
    summary = scan_files(tmp_path, {"Cargo.toml": cargo, "src/main.rs": main})
    assert route_lines(summary) == ["GET /api/v2/items unknown", "GET /x unknown"]
    assert any("prefix PREFIX is not a literal" in w for w in summary.warnings), summary.warnings


def test_actix_configure_closures_and_generic_handlers(tmp_path):
    """``.configure(|cfg| auth::configure::<B>(cfg, flag))`` mounts what that function
    registers on the router the closure hands it; ``get_settings::<B>`` is the handler
    ``get_settings``."""
    main = (
        "mod auth;\nuse actix_web::{web, App, HttpServer};\n\n"
        "#[actix_web::main]\nasync fn main() -> std::io::Result<()> {\n"
        "    HttpServer::new(|| App::new().configure(|cfg| http_config::<Db>(cfg, true)))\n"
        '        .bind(("0.0.0.0", 8080))?\n        .run()\n        .await\n}\n\n'
        "fn http_config<B>(cfg: &mut web::ServiceConfig, reset: bool) {\n"
        '    cfg.route("/settings", web::get().to(get_settings::<B>))\n'
        '        .service(web::scope("/auth").configure(|cfg| {\n'
        "            auth::configure_server::<B>(cfg, reset);\n        }));\n}\n"
    )
    auth = (
        "use actix_web::web;\n\n"
        "pub fn configure_server<B>(cfg: &mut web::ServiceConfig, reset: bool) {\n"
        '    cfg.service(web::resource("/login").route(web::post().to(login::<B>)));\n}\n'
    )
    cargo = CARGO.replace('axum = "0.7"', 'actix-web = "4"')
    summary = scan_files(tmp_path, {"Cargo.toml": cargo, "src/main.rs": main, "src/auth.rs": auth})
    assert [(r.method, r.path, r.handler) for r in summary.routes] == [
        ("POST", "/auth/login", "login"),
        ("GET", "/settings", "get_settings"),
    ]
    assert not [w for w in summary.warnings if "not mounted" in w], summary.warnings

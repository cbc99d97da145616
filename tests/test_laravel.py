"""Laravel: routes with full paths and auth, global middleware, env vars, entry points,
models, tables and exception handlers, read from PHP with tree-sitter."""

from __future__ import annotations

from pathlib import Path

from archdraft.repo import open_repo
from archdraft.scan import scan

from .conftest import route_lines, scan_files

_COMPOSER = '{"require": {"php": "^8.2", "laravel/framework": "^11.0"}}'

_API = """<?php

use App\\Http\\Controllers\\PhotoController;
use App\\Http\\Controllers\\UserController;
use Illuminate\\Support\\Facades\\Route;

Route::get('/health', fn () => 'ok');
Route::post('login', [UserController::class, 'login'])->middleware('guest');

Route::middleware('auth:sanctum')->group(function () {
    Route::get('/user/{id?}', [UserController::class, 'show']);
    Route::prefix('admin')->middleware(['can:admin'])->group(function () {
        Route::delete('users/{user:slug}', 'UserController@destroy');
    });
    Route::apiResource('photos', PhotoController::class)->except(['destroy']);
});

Route::controller(UserController::class)->prefix('me')->group(function () {
    Route::get('/settings', 'settings')->middleware('auth');
    Route::match(['get', 'post'], '/prefs', 'prefs');
});

Route::resource('photos.comments', CommentController::class)->only(['index', 'store', 'edit']);
Route::any('/hook', 'HookController@handle');

require __DIR__.'/extra.php';
"""

_EXTRA = """<?php
Route::group(['prefix' => 'v2', 'middleware' => 'auth:api'], function () {
    Route::put('/things/{thing}', [ThingController::class, 'update']);
});
Route::get('/open', [OpenController::class, 'index']);
"""

_WEB = """<?php
Route::get('/', function () { return view('welcome'); });
Route::get('/dashboard', [DashboardController::class, 'index']);
Route::get('/posts', [PostController::class, 'index']);
Route::get('/posts/{post}/edit', [PostController::class, 'edit']);
"""

_CONTROLLER = """<?php
namespace App\\Http\\Controllers;

class PostController extends Controller
{
    public function __construct()
    {
        $this->middleware('auth')->except(['index']);
    }

    public function index() {}
    public function edit($post) {}
}
"""

_DASHBOARD = """<?php
namespace App\\Http\\Controllers;

use Illuminate\\Routing\\Controllers\\HasMiddleware;
use Illuminate\\Routing\\Controllers\\Middleware;

class DashboardController extends Controller implements HasMiddleware
{
    public static function middleware(): array
    {
        return [new Middleware('auth', only: ['index'])];
    }

    public function index() {}
}
"""


def test_laravel_routes_have_full_paths_methods_and_auth(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "composer.json": _COMPOSER,
            "routes/api.php": _API,
            "routes/extra.php": _EXTRA,
            "routes/web.php": _WEB,
            "app/Http/Controllers/PostController.php": _CONTROLLER,
            "app/Http/Controllers/DashboardController.php": _DASHBOARD,
        },
    )
    assert route_lines(summary) == [
        "ANY /api/hook unknown",
        "DELETE /api/admin/users/{user} required",
        "GET / unknown",
        "GET /api/health unknown",
        "GET /api/me/prefs unknown",
        "GET /api/me/settings required",
        "GET /api/open unknown",
        "GET /api/photos required",
        "GET /api/photos/{photo} required",
        "GET /api/photos/{photo}/comments unknown",
        "GET /api/photos/{photo}/comments/{comment}/edit unknown",
        "GET /api/user/{id} required",
        "GET /dashboard required",
        "GET /posts public",
        "GET /posts/{post}/edit required",
        "PATCH /api/photos/{photo} required",
        "POST /api/login public",
        "POST /api/me/prefs unknown",
        "POST /api/photos required",
        "POST /api/photos/{photo}/comments unknown",
        "PUT /api/photos/{photo} required",
        "PUT /api/v2/things/{thing} required",
    ]
    by_route = {(r.method, r.path): r for r in summary.routes}
    settings = by_route[("GET", "/api/me/settings")]
    assert settings.handler == "UserController@settings"
    assert [(e.path, e.line) for e in settings.evidence] == [("routes/api.php", 19)]
    assert by_route[("PUT", "/api/v2/things/{thing}")].evidence[0].line == 3
    assert by_route[("GET", "/api/photos")].handler == "PhotoController@index"
    # every registration line is some route's evidence
    assert summary.reach.unrouted == 0


def test_bootstrap_app_prefix_global_middleware_and_exceptions(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "composer.json": _COMPOSER,
            "bootstrap/app.php": """<?php
use Illuminate\\Foundation\\Application;

return Application::configure(basePath: dirname(__DIR__))
    ->withRouting(
        web: __DIR__.'/../routes/web.php',
        api: __DIR__.'/../routes/api.php',
        apiPrefix: 'api/v1',
    )
    ->withMiddleware(function (Middleware $middleware) {
        $middleware->prepend(TrustHosts::class);
        $middleware->append([\\App\\Http\\Middleware\\LogRequests::class]);
        $middleware->alias(['admin' => EnsureAdmin::class]);
        $middleware->web(append: [HandleInertiaRequests::class]);
    })
    ->withExceptions(function (Exceptions $exceptions) {
    })->create();
""",
            "routes/api.php": "<?php\nRoute::get('/items', [ItemController::class, 'index']);\n",
            "routes/web.php": "<?php\nRoute::view('/about', 'about');\n",
        },
    )
    assert route_lines(summary) == ["GET /about unknown", "GET /api/v1/items unknown"]
    assert [(m.name, m.scope, m.order, m.evidence[0].line) for m in summary.middleware] == [
        ("TrustHosts", "global", 1, 11),
        ("LogRequests", "global", 2, 12),
        ("HandleInertiaRequests", "group", None, 14),
    ]
    assert [(e.name, e.kind, e.evidence[0].line) for e in summary.errors] == [
        ("withExceptions", "handler", 16)
    ]


def test_kernel_middleware_and_route_service_provider(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "composer.json": _COMPOSER,
            "app/Http/Kernel.php": """<?php
namespace App\\Http;

use Illuminate\\Foundation\\Http\\Kernel as HttpKernel;

class Kernel extends HttpKernel
{
    protected $middleware = [
        \\App\\Http\\Middleware\\TrustProxies::class,
        \\Illuminate\\Http\\Middleware\\HandleCors::class,
    ];

    protected $middlewareGroups = [
        'api' => ['throttle:api', SubstituteBindings::class],
    ];
}
""",
            "app/Providers/RouteServiceProvider.php": """<?php
class RouteServiceProvider extends ServiceProvider
{
    public function boot(): void
    {
        $this->routes(function () {
            Route::middleware('api')->prefix('rest')->group(base_path('routes/api.php'));
            Route::middleware('web')->group(base_path('routes/web.php'));
        });
    }
}
""",
            "routes/api.php": "<?php\n"
            "Route::middleware('auth:api')->get('/me', 'MeController@show');\n",
            "routes/web.php": "<?php\nRoute::get('/home', 'HomeController@index');\n",
        },
    )
    assert route_lines(summary) == ["GET /home unknown", "GET /rest/me required"]
    assert [(m.name, m.scope, m.order) for m in summary.middleware] == [
        ("TrustProxies", "global", 1),
        ("HandleCors", "global", 2),
        ("SubstituteBindings", "group", None),
        ("throttle:api", "group", None),
        ("api", "group", None),
        ("web", "group", None),
    ]


def test_laravel_env_entry_points_models_tables_errors(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "composer.json": _COMPOSER,
            "config/app.php": "<?php\nreturn [\n    'key' => env('APP_KEY'),\n"
            "    'debug' => (bool) env('APP_DEBUG', false),\n    'x' => env($dynamic),\n];\n",
            "public/index.php": "<?php\nrequire __DIR__.'/../vendor/autoload.php';\n"
            "$app = require_once __DIR__.'/../bootstrap/app.php';\n"
            "$app->handleRequest(Request::capture());\n",
            "artisan": "#!/usr/bin/env php\n<?php\n$status = $app->handleCommand(new ArgvInput);\n",
            "app/Models/Photo.php": "<?php\nnamespace App\\Models;\n\n"
            "class Photo extends Model\n{\n}\n",
            "app/Models/User.php": "<?php\nclass User extends Authenticatable {}\n",
            "database/migrations/2024_01_01_create_photos.php": "<?php\nreturn new class extends "
            "Migration {\n    public function up(): void\n    {\n"
            "        Schema::create('photos', function (Blueprint $table) {});\n    }\n};\n",
            "app/Exceptions/Handler.php": "<?php\nclass Handler extends ExceptionHandler {}\n",
            "app/Exceptions/QuotaExceeded.php": "<?php\nclass QuotaExceeded extends "
            "\\RuntimeException {}\n",
            "tests/Feature/PhotoTest.php": "<?php\nclass PhotoTest extends TestCase {\n"
            "    public function test_x() { Route::get('/fake', fn () => 1); }\n}\n",
        },
    )
    assert summary.routes == ()  # a test's throwaway route is no route of the application
    assert [(t.path, t.kind) for t in summary.tests] == [("tests/Feature", "unknown")]
    assert [(v.name, [(e.path, e.line) for e in v.evidence]) for v in summary.env_vars] == [
        ("APP_DEBUG", [("config/app.php", 4)]),
        ("APP_KEY", [("config/app.php", 3)]),
    ]
    assert [(e.path, e.kind, e.line) for e in summary.entrypoints] == [
        ("artisan", "cli", 3),
        ("public/index.php", "server", 4),
    ]
    assert [(m.name, m.kind) for m in summary.models] == [
        ("Photo", "orm_model"),
        ("User", "orm_model"),
        ("photos", "table"),
    ]
    assert [(e.name, e.kind) for e in summary.errors] == [
        ("QuotaExceeded", "class"),
        ("Handler", "handler"),
    ]


_ODD = (
    "<?php",
    "Route::get(",
    "Route::get('/a', [X::class, 'y'])->middleware(",
    "Route::prefix($p)->group(function () {",
    "Route::group([], 'nope');",
    "Route::apiResource('', X::class)->only();",
    "Route::resource('a..b', C::class);",
    "Route::match('get', '/x', 'C@d');",
    'Route::get("/{$x}", fn () => 1);',
    "require __DIR__.;",
    "})->group(base_path());",
    "env();",
    "$_ENV[0];",
    "class A extends {",
    "Schema::create($t, fn () => 1);",
    "Application::configure()->withRouting(api: 3, apiPrefix: [])->withMiddleware(1);",
    "$this->middleware()->only();",
    "public static function middleware(): array { return [new Middleware(), 'a']; }",
    "'\\'",
    '"\\',
    "}" * 30,
    "{" * 30,
    "Route::middleware('a')->group(function () {" * 50,
    "#[Route(",
    "#[Route([]), IsGranted()] class B { #[Route(methods: 3)] public function f() {} }",
    "#[Route(path: $x)]",
)


def test_no_php_file_fails_a_scan_whatever_it_holds(tmp_path: Path) -> None:
    import random

    rng = random.Random(14)
    root = tmp_path / "fuzz"
    root.mkdir()
    (root / "composer.json").write_text(_COMPOSER)
    for number in range(40):
        for folder in ("routes", "app/Http", "bootstrap", "config", "src/Controller"):
            pieces = [rng.choice(_ODD) for _ in range(rng.randint(1, 30))]
            noise = bytes(rng.randrange(256) for _ in range(rng.randint(0, 60)))
            path = root / folder / f"f{number}.php"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(" ".join(pieces) + noise.decode("latin-1"), encoding="utf-8")
        yaml_text = "\n".join(rng.choice(_YAML) for _ in range(rng.randint(1, 8)))
        (root / "config" / "routes").mkdir(exist_ok=True)
        (root / "config" / "routes" / f"r{number}.yaml").write_text(yaml_text)
    summary = scan(open_repo(root, 1_048_576))
    assert summary.schema == "archdraft.scan/v1"
    assert not [w for w in summary.warnings if "could not be read" in w]


_YAML = ("a:", "  path: [1]", "  methods: {x: 1}", "- x", "b: {path: /x, methods: 3}",
         ": : :", "  resource: routing.controllers", "  prefix: [", "\t", "c: &x *x")  # fmt: skip


def test_symfony_route_attributes_with_class_prefix_yaml_prefix_and_is_granted(
    tmp_path: Path,
) -> None:
    summary = scan_files(
        tmp_path,
        {
            "composer.json": '{"require": {"symfony/framework-bundle": "^7"}}',
            "config/routes.yaml": "controllers:\n    resource: routing.controllers\n"
            "    prefix: /{_locale}\n\nhome:\n    path: /\n    controller: HomeAction\n",
            "config/routes/web_profiler.yaml": "wdt:\n    resource: '@WebProfilerBundle/x.php'\n"
            "    prefix: /_wdt\n",
            "src/Controller/UserController.php": """<?php
namespace App\\Controller;

#[Route('/profile'), IsGranted(User::ROLE_USER)]
final class UserController extends AbstractController
{
    #[Route('/edit', name: 'user_edit', methods: ['GET', 'POST'])]
    public function edit(): Response {}

    #[Route(path: '/{id:user}', methods: ['GET'])]
    #[IsGranted('PUBLIC_ACCESS')]
    public function show(): Response {}

    public function helper(): void {}
}
""",
        },
    )
    assert route_lines(summary) == [
        "ANY / unknown",
        "GET /{_locale}/profile/edit required",
        "GET /{_locale}/profile/{id} public",
        "POST /{_locale}/profile/edit required",
    ]
    by_route = {(r.method, r.path): r for r in summary.routes}
    assert by_route[("GET", "/{_locale}/profile/{id}")].evidence[0].line == 10
    assert by_route[("ANY", "/")].evidence[0].path == "config/routes.yaml"
    assert summary.reach.unrouted == 0


def test_group_middleware_is_a_fact_and_guards_only_its_group(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "composer.json": _COMPOSER,
            "routes/api.php": """<?php
Route::middleware('auth:sanctum')->group(function () {
    Route::get('/me', [MeController::class, 'show']);
});
Route::group(['prefix' => 'admin', 'middleware' => ['can:admin']], function () {
    Route::get('/stats', [StatsController::class, 'index']);
});
Route::get('/after', [OpenController::class, 'index']);
""",
        },
    )
    # a group's guard covers its own routes, not the ones registered after the group
    assert route_lines(summary) == [
        "GET /api/admin/stats required",
        "GET /api/after unknown",
        "GET /api/me required",
    ]
    assert [(m.name, m.scope, m.evidence[0].line) for m in summary.middleware] == [
        ("auth:sanctum", "group", 2),
        ("can:admin", "group", 5),
    ]


def test_with_routing_health_registers_the_framework_health_route(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "composer.json": _COMPOSER,
            "bootstrap/app.php": """<?php
use Illuminate\\Foundation\\Application;

return Application::configure(basePath: dirname(__DIR__))
    ->withRouting(
        web: __DIR__.'/../routes/web.php',
        health: '/up',
    )->create();
""",
            "routes/web.php": "<?php\nRoute::view('/about', 'about');\n",
        },
    )
    assert route_lines(summary) == ["GET /about unknown", "GET /up unknown"]
    health = next(r for r in summary.routes if r.path == "/up")
    assert (health.handler, health.evidence[0].path, health.evidence[0].line) == (
        "health",
        "bootstrap/app.php",
        7,
    )


def test_database_of_the_default_connection_in_config_database_php(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "composer.json": _COMPOSER,
            "config/database.php": """<?php
return [
    'default' => env('DB_CONNECTION', 'mysql'),
    'connections' => [
        'sqlite' => ['driver' => 'sqlite'],
        'pgsql' => ['driver' => 'pgsql'],
    ],
    'redis' => ['default' => ['host' => env('REDIS_HOST', '127.0.0.1')]],
];
""",
        },
    )
    databases = [(s.name, s.evidence[0].line) for s in summary.stack if s.category == "database"]
    assert databases == [("MySQL", 3)]  # the skeleton's other connections are not the stack


def test_stateful_and_throttle_api_shorthands_add_api_group_middleware(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "composer.json": _COMPOSER,
            "bootstrap/app.php": """<?php
return Application::configure(basePath: dirname(__DIR__))
    ->withRouting(api: __DIR__.'/../routes/api.php')
    ->withMiddleware(function (Middleware $middleware) {
        $middleware->statefulApi();
        $middleware->throttleApi('uploads');
    })->create();
""",
            "routes/api.php": "<?php\nRoute::get('/items', [ItemController::class, 'index']);\n",
        },
    )
    assert route_lines(summary) == ["GET /api/items unknown"]
    assert [(m.name, m.scope, m.evidence[0].line) for m in summary.middleware] == [
        ("EnsureFrontendRequestsAreStateful", "group", 5),
        ("throttle:uploads", "group", 6),
    ]


def test_laravel_fixture_stack_models_env_and_entry_points(make_repo) -> None:
    summary = scan(open_repo(make_repo("laravel-app"), 1 << 20))
    stack = {(s.category, s.name): s.version for s in summary.stack}
    assert stack[("framework", "Laravel")] == "^11.9"
    assert stack[("runtime", "PHP")] == "^8.2"
    assert ("orm", "Eloquent") in stack
    assert ("database", "PostgreSQL") in stack  # config/database.php's default connection
    assert stack[("auth", "Laravel Sanctum")] == "^4.0"
    assert stack[("testing", "PHPUnit")] == "^11.0.1"
    assert ("linting", "PHPStan") in stack  # larastan/larastan
    assert stack[("formatting", "Laravel Pint")] == "^1.13"
    assert [(m.name, m.kind) for m in summary.models if m.kind == "orm_model"] == [
        ("Book", "orm_model"),
        ("Review", "orm_model"),
        ("User", "orm_model"),
    ]
    tables = {m.name for m in summary.models if m.kind == "table"}
    assert tables == {"users", "books", "book_reviews", "personal_access_tokens"}
    assert {v.name for v in summary.env_vars} == {
        "APP_DEBUG", "APP_ENV", "APP_KEY", "APP_NAME", "APP_URL", "DB_CONNECTION",
        "DB_DATABASE", "DB_HOST", "DB_PASSWORD", "DB_PORT", "DB_USERNAME",
        "SANCTUM_STATEFUL_DOMAINS", "SANCTUM_TOKEN_EXPIRATION",
    }  # fmt: skip
    assert [(e.path, e.kind) for e in summary.entrypoints] == [
        ("artisan", "cli"),
        ("public/index.php", "server"),
    ]


def test_route_middleware_evidence_is_the_line_it_is_written_on(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "composer.json": _COMPOSER,
            "routes/api.php": """<?php
Route::get('/user', function (Request $request) {
    return $request->user();
})->middleware('auth:sanctum');
""",
        },
    )
    assert route_lines(summary) == ["GET /api/user required"]
    assert summary.routes[0].evidence[0].line == 2
    assert [(m.name, m.scope, m.evidence[0].line) for m in summary.middleware] == [
        ("auth:sanctum", "route", 4)
    ]


def test_a_middleware_group_the_kernel_gives_a_guard_guards_what_names_it(tmp_path: Path) -> None:
    kernel = """<?php
namespace App\\Http;

use Illuminate\\Foundation\\Http\\Kernel as HttpKernel;

class Kernel extends HttpKernel
{
    protected $middlewareGroups = [
        'web' => [
            \\App\\Http\\Middleware\\EncryptCookies::class,
        ],
        'api' => [
            \\App\\Http\\Middleware\\ThrottleApiRequests::class,
            \\App\\Http\\Middleware\\ApiAuthenticate::class,
        ],
    ];
}
"""
    provider = """<?php
namespace App\\Providers;

class RouteServiceProvider extends ServiceProvider
{
    public function boot(): void
    {
        Route::group(['middleware' => 'web'], function () {
            require base_path('routes/web.php');
        });
        Route::group(['middleware' => 'api', 'prefix' => 'api'], function () {
            require base_path('routes/api.php');
        });
    }
}
"""
    summary = scan_files(
        tmp_path,
        {"composer.json": _COMPOSER, "app/Http/Kernel.php": kernel,
         "app/Providers/RouteServiceProvider.php": provider,
         "routes/web.php": "<?php\nRoute::get('/status', [StatusController::class, 'show']);\n",
         "routes/api.php": "<?php\nRoute::get('/books', [BookApiController::class, 'list']);\n"
         "Route::middleware('api')->get('/shelves', [ShelfApiController::class, 'list']);\n"},
    )  # fmt: skip
    assert route_lines(summary) == [
        "GET /api/books required",  # the api group holds ApiAuthenticate
        "GET /api/shelves required",
        "GET /status unknown",  # the web group guards nothing
    ]


def test_constructor_middleware_options_array_limits_it_to_those_actions(tmp_path: Path) -> None:
    controller = """<?php
class LoginController extends Controller
{
    public function __construct()
    {
        $this->middleware('guest', ['only' => ['getLogin', 'login']]);
        $this->middleware('auth', ['except' => ['getLogin', 'login', 'help']]);
    }

    public function getLogin() {}
    public function login() {}
    public function logout() {}
    public function help() {}
}
"""
    routes = """<?php
Route::get('/login', [LoginController::class, 'getLogin']);
Route::post('/login', [LoginController::class, 'login']);
Route::post('/logout', [LoginController::class, 'logout']);
Route::get('/help', [LoginController::class, 'help']);
"""
    summary = scan_files(
        tmp_path,
        {"composer.json": _COMPOSER, "app/Http/Controllers/LoginController.php": controller,
         "routes/web.php": routes},
    )  # fmt: skip
    assert route_lines(summary) == [
        "GET /help public",  # the controller's guard leaves it out on purpose
        "GET /login public",
        "POST /login public",
        "POST /logout required",
    ]


def test_a_loop_over_a_literal_array_registers_a_route_per_element(tmp_path: Path) -> None:
    routes = """<?php
$endpoints = [
    'ping' => PingController::class,
    'getLicense' => GetLicenseController::class,
];
$pages = ['about', 'terms'];

Route::prefix('rest')->middleware('auth')->group(static function () use ($endpoints): void {
    foreach ($endpoints as $endpoint => $controller) {
        Route::match(['get', 'post'], "{$endpoint}.view", $controller);
    }
});
foreach ($pages as $page) {
    Route::view("/{$page}", "pages.{$page}");
}
foreach ($unknown as $name) {
    Route::get("/x/{$name}", XController::class);
}
"""
    summary = scan_files(tmp_path, {"composer.json": _COMPOSER, "routes/web.php": routes})
    assert route_lines(summary) == [
        "GET /about unknown",
        "GET /rest/getLicense.view required",
        "GET /rest/ping.view required",
        "GET /terms unknown",
        "POST /rest/getLicense.view required",
        "POST /rest/ping.view required",
    ]
    ping = next(r for r in summary.routes if r.path == "/rest/ping.view")
    assert ping.handler == "PingController@__invoke"
    # a loop over what the file does not spell out stays a warning
    assert any("routes/web.php:17: route path is not a literal" in w for w in summary.warnings)


def test_a_provider_importing_the_route_facade_under_another_name_loads_its_files(
    tmp_path: Path,
) -> None:
    """``use Illuminate\\Support\\Facades\\Route as Facade;`` makes ``Facade::prefix(..)`` a
    Route call: the provider's prefix and guarding group reach the file it loads. A route a
    controller leaves out of its own guard is open only where nothing around it guards it."""
    kernel = """<?php
class Kernel extends HttpKernel
{
    protected $middlewareGroups = [
        'admin' => ['web', 'auth', 'company.identify'],
    ];
}
"""
    provider = """<?php
namespace App\\Providers;

use Illuminate\\Support\\Facades\\Route as Facade;

class Route extends Provider
{
    public function map()
    {
        Facade::prefix('{company_id}')
            ->middleware('admin')
            ->group(base_path('routes/admin.php'));
        Facade::middleware('web')->group(base_path('routes/web.php'));
    }
}
"""
    controller = """<?php
class ReportsController extends Controller
{
    public function __construct()
    {
        $this->middleware('permission:read-reports')->except('index');
    }
    public function index() {}
    public function show() {}
}
"""
    summary = scan_files(
        tmp_path,
        {"composer.json": _COMPOSER, "app/Http/Kernel.php": kernel,
         "app/Providers/Route.php": provider,
         "app/Http/Controllers/ReportsController.php": controller,
         "routes/admin.php": "<?php\nRoute::get('reports', 'ReportsController@index');\n"
         "Route::get('reports/{id}', 'ReportsController@show');\n",
         "routes/web.php": "<?php\nRoute::get('/public-reports', 'ReportsController@index');\n"},
    )  # fmt: skip
    assert route_lines(summary) == [
        "GET /public-reports public",  # the controller leaves index open, the web group too
        "GET /{company_id}/reports required",  # the admin group guards it all the same
        "GET /{company_id}/reports/{id} required",
    ]


def test_controllers_of_one_short_name_that_disagree_decide_nothing(tmp_path: Path) -> None:
    guarded = """<?php
namespace App\\Http\\Controllers\\Admin;
class UsersController extends Controller
{
    public function __construct() { $this->middleware('auth'); }
    public function index() {}
}
"""
    open_one = """<?php
namespace App\\Http\\Controllers\\Api;
class UsersController extends Controller
{
    public function __construct() { $this->middleware('guest'); }
    public function index() {}
}
"""
    summary = scan_files(
        tmp_path,
        {"composer.json": _COMPOSER,
         "app/Http/Controllers/Admin/UsersController.php": guarded,
         "app/Http/Controllers/Api/UsersController.php": open_one,
         "routes/web.php": "<?php\nRoute::get('/users', 'UsersController@index');\n"},
    )  # fmt: skip
    assert route_lines(summary) == ["GET /users unknown"]

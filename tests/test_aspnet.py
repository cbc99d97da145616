"""C# / ASP.NET Core: attribute-routed controllers, conventional routes, minimal APIs and
their authorization, the middleware pipeline, and the other facts read from C#."""

from __future__ import annotations

import random
from pathlib import Path

from archdraft.config import Config
from archdraft.pipeline import run_draft
from archdraft.repo import open_repo
from archdraft.scan import scan

from .conftest import route_lines, scan_files

_CSPROJ = (
    '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup>'
    "<TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n"
)

_CONTROLLER = """namespace Shop.Controllers;

[ApiController]
[Route("api/[controller]")]
[Authorize]
public class OrdersController : ControllerBase
{
    [HttpGet]
    public IActionResult List() => Ok();

    [AllowAnonymous]
    [HttpGet("{id:int}")]
    public IActionResult Get(int id) => Ok();

    [HttpPost("[action]")]
    public IActionResult Submit() => Ok();

    [Route("/status")]
    [HttpGet]
    public IActionResult Status() => Ok();

    [HttpDelete("~/orders/{id?}")]
    public IActionResult Remove(int id) => Ok();

    [Microsoft.AspNetCore.Mvc.HttpPutAttribute(@"{id}/lines/{*rest}")]
    public IActionResult Lines(int id) => Ok();

    private void Helper() { }
    [NonAction] public void NotAnAction() { }
}

public abstract class ApiBase : ControllerBase
{
    [HttpGet("never")]
    public IActionResult Never() => Ok();
}

public class AuthenticateEndpoint : EndpointBaseAsync
{
    [HttpPost("api/authenticate")]
    public Task<IActionResult> HandleAsync() => null;
}
"""


def test_attribute_routes_replace_tokens_and_take_auth_from_the_method_first(
    tmp_path: Path,
) -> None:
    summary = scan_files(
        tmp_path, {"Shop.csproj": _CSPROJ, "Controllers/OrdersController.cs": _CONTROLLER}
    )
    assert route_lines(summary) == [
        "DELETE /orders/{id} required",  # ~/ leaves the class template out
        "GET /api/Orders required",
        "GET /api/Orders/{id} public",  # [AllowAnonymous] on the method wins
        "GET /status required",  # [Route("/status")] with a bare [HttpGet]
        "POST /api/Orders/Submit required",  # [action] is the method's name
        "POST /api/authenticate unknown",  # routing attributes make any class a controller
        "PUT /api/Orders/{id}/lines/{rest} required",
    ]
    by_path = {(r.method, r.path): r for r in summary.routes}
    get = by_path[("GET", "/api/Orders/{id}")]
    assert get.handler == "OrdersController.Get"
    # the evidence is the verb attribute's line, not the first attribute's
    assert (get.evidence[0].path, get.evidence[0].line) == ("Controllers/OrdersController.cs", 12)
    # the abstract base's action is served only by the classes deriving from it
    assert (summary.reach.registrations, summary.reach.unrouted) == (7, 1)


_PROGRAM = """using Microsoft.AspNetCore.Authorization;
var builder = WebApplication.CreateBuilder(args);
var conn = builder.Configuration.GetConnectionString("Default");
var key = builder.Configuration["Jwt:Key"];
var port = Environment.GetEnvironmentVariable("PORT");
var app = builder.Build();
app.UseExceptionHandler("/error");
app.UseAuthentication();
app.UseAuthorization();
app.UseMiddleware<RequestLogging>();
builder.Services.AddDbContext<ShopDb>(o => o.UseSqlServer(conn));
app.MapGet("/health", () => "ok").AllowAnonymous();
var api = app.MapGroup("/api").RequireAuthorization();
var todos = api.MapGroup("todos");
todos.MapGet("/", GetAll);
todos.MapGet("/{id:int}", GetOne).AllowAnonymous();
todos.MapMethods("/{id}/touch", new[] { "PUT", "patch" }, Touch);
app.MapGroup("/v2").WithTags("v2").MapPost("/things", Create);
app.MapPost(Routes.Dynamic, Create);
app.MapControllerRoute(name: "default", pattern: "{controller=Home}/{action=Index}/{id?}");
app.Run();

static class Extensions
{
    public static void MapAdmin(this IEndpointRouteBuilder routes)
    {
        var todos = routes.MapGroup("/admin");
        todos.MapDelete("/cache", Clear);
        todos.RequireAuthorization();
    }
}
"""


def test_minimal_apis_groups_and_conventional_routes(tmp_path: Path) -> None:
    summary = scan_files(tmp_path, {"Api.csproj": _CSPROJ, "Program.cs": _PROGRAM})
    assert route_lines(summary) == [
        "ANY /{controller}/{action}/{id} unknown",  # the conventional route, as one route
        # a same-named variable in another method is its own; its statement guards it
        "DELETE /admin/cache required",
        "GET /api/todos required",  # the group's RequireAuthorization()
        "GET /api/todos/{id} public",
        "GET /health public",
        "PATCH /api/todos/{id}/touch required",
        "POST /v2/things unknown",
        "PUT /api/todos/{id}/touch required",
    ]
    assert any("Routes.Dynamic is not a literal" in w for w in summary.warnings)
    health = next(r for r in summary.routes if r.path == "/health")
    assert (health.evidence[0].path, health.evidence[0].line) == ("Program.cs", 12)
    assert [(m.name, m.order, m.evidence[0].line) for m in summary.middleware] == [
        ("UseExceptionHandler", 1, 7),
        ("UseAuthentication", 2, 8),
        ("UseAuthorization", 3, 9),
        ("RequestLogging", 4, 10),
    ]
    assert {e.name: e.evidence[0].line for e in summary.env_vars} == {
        "ConnectionStrings__Default": 3,
        "Jwt__Key": 4,
        "PORT": 5,
    }
    assert [(e.path, e.kind, e.line) for e in summary.entrypoints] == [("Program.cs", "server", 2)]
    assert [(e.name, e.kind) for e in summary.errors] == [("UseExceptionHandler", "handler")]


def test_fallback_policy_requires_what_nothing_else_decided(tmp_path: Path) -> None:
    files = {
        "Api.csproj": _CSPROJ,
        "Program.cs": "var builder = WebApplication.CreateBuilder(args);\n"
        "builder.Services.AddAuthorization(options =>\n"
        "{\n"
        "    options.FallbackPolicy = new AuthorizationPolicyBuilder()\n"
        "        .RequireAuthenticatedUser().Build();\n"
        "});\n"
        "var app = builder.Build();\n"
        'app.MapGet("/open", () => 1).AllowAnonymous();\n'
        'app.MapGet("/closed", () => 2);\n'
        "app.MapControllers();\n"
        "app.Run();\n",
        "Controllers/PingController.cs": "public class PingController : Controller\n{\n"
        '    [HttpGet("/ping")] public IActionResult Ping() => Ok();\n}\n',
    }
    assert route_lines(scan_files(tmp_path, files)) == [
        "GET /closed required",
        "GET /open public",
        "GET /ping required",
    ]


def test_map_controllers_require_authorization_covers_controllers_only(tmp_path: Path) -> None:
    files = {
        "Api.csproj": _CSPROJ,
        "Startup.cs": "public class Startup\n{\n"
        "    public void Configure(IApplicationBuilder app)\n    {\n"
        "        app.UseRouting();\n"
        "        app.UseEndpoints(endpoints =>\n        {\n"
        "            endpoints.MapControllers().RequireAuthorization();\n"
        '            endpoints.MapGet("/up", () => "up");\n'
        "        });\n    }\n}\n",
        "Controllers/PingController.cs": '[Route("[controller]")]\n'
        "public class PingController : ControllerBase\n{\n"
        "    [HttpGet] public IActionResult Ping() => Ok();\n"
        '    [AllowAnonymous, HttpGet("open")] public IActionResult Open() => Ok();\n}\n',
    }
    summary = scan_files(tmp_path, files)
    assert route_lines(summary) == [
        "GET /Ping required",
        "GET /Ping/open public",
        "GET /up unknown",
    ]
    assert [(m.name, m.order) for m in summary.middleware] == [
        ("UseRouting", 1),
        ("UseEndpoints", 2),
    ]


def test_ef_core_entities_exception_classes_and_filters(tmp_path: Path) -> None:
    files = {
        "Api.csproj": _CSPROJ,
        "Data/ShopDb.cs": "public class ShopDb : IdentityDbContext<AppUser>\n{\n"
        "    public DbSet<Order> Orders { get; set; }\n"
        "    public DbSet<Catalog.Item> Items => Set<Catalog.Item>();\n"
        "    public List<Order> NotASet { get; set; }\n}\n"
        "public class NotADb { public DbSet<Ghost> Ghosts { get; set; } }\n",
        "Errors.cs": "public class OrderNotFoundException : Exception { }\n"
        "public class ApiExceptionFilter : IExceptionFilter { public void OnException("
        "ExceptionContext c) { } }\n",
        "Tool/Program.cs": "static class P { static void Main(string[] a) { } }\n",
    }
    summary = scan_files(tmp_path, files)
    assert [(m.name, m.kind, m.evidence[0].line) for m in summary.models] == [
        ("Item", "orm_model", 4),
        ("Order", "orm_model", 3),
    ]
    assert sorted((e.name, e.kind) for e in summary.errors) == [
        ("ApiExceptionFilter", "handler"),
        ("OrderNotFoundException", "class"),
    ]
    assert [(e.path, e.kind) for e in summary.entrypoints] == [("Tool/Program.cs", "cli")]


def test_odd_or_hostile_csharp_never_fails_the_scan(tmp_path: Path) -> None:
    chooser = random.Random(14)
    odd = [
        'app.MapGet("", null); app.MapGet(); app.MapGroup().MapGet("/x");',
        '[HttpGet(]\npublic class A : Controller { [HttpGet("{")] public void B() {} }',
        '[Route("\\u0000[controller]")] class XController { [HttpPost(@"""")] public void Y(){} }',
        'app.MapMethods("/m", 42, h); app.MapControllerRoute(); app.UseMiddleware<>();',
        'var s = config[""]; Environment.GetEnvironmentVariable(null); x.GetConnectionString();',
        "class Db : DbContext { DbSet<> A; public DbSet B {get;} }",
        'var r = """\n raw "" string \n""";  app.MapGet(r, h);',
        'options.FallbackPolicy = null; app.MapGroup("/g").RequireAuthorization(',
    ]
    files = {"Api.csproj": _CSPROJ}
    for index, text in enumerate(odd):
        files[f"Odd{index}.cs"] = text
    for index in range(6):
        blob = bytes(chooser.randrange(256) for _ in range(600)).decode("latin-1")
        files[f"Random{index}.cs"] = f'app.MapGet("/r{index}", h); {blob} [HttpGet("{blob[:9]}")]'
    summary = scan_files(tmp_path, files)
    assert not any("skipped, its facts could not be read" in w for w in summary.warnings)
    assert "GET /x unknown" in route_lines(summary)


def test_class_templates_come_from_a_base_controller_and_paths_from_constants(
    tmp_path: Path,
) -> None:
    files = {
        "Api.csproj": _CSPROJ,
        "Controllers/ApiControllerBase.cs": '[ApiController]\n[Route("api/[controller]")]\n'
        "public abstract class ApiControllerBase : ControllerBase { }\n",
        "Controllers/TodosController.cs": "public class TodosController : ApiControllerBase\n{\n"
        "    [HttpGet] public IActionResult List() => Ok();\n"
        '    [HttpGet("{id}")] public IActionResult Get(int id) => Ok();\n}\n',
        "Controllers/HomeController.cs": "public class HomeController : BaseOfNoTemplate\n{\n"
        "    public IActionResult Index() => View();\n"
        '    [HttpGet("/about")] public IActionResult About() => View();\n}\n',
        "Routes.cs": "public static class Routes\n{\n"
        '    public const string Users = "/users";\n'
        '    public static readonly string Admin = "/admin";\n}\n',
        "Program.cs": "var app = WebApplication.CreateBuilder(args).Build();\n"
        "app.MapGet(Routes.Users, ListUsers);\n"
        'app.MapGroup(Routes.Admin).MapGet(Routes.Users + "/{id}", GetUser);\n'
        'app.MapGet($"/{Unknown}", Nope);\n'
        "app.Run();\n",
    }
    summary = scan_files(tmp_path, files)
    assert route_lines(summary) == [
        "GET /about unknown",  # Index has no template: reached only conventionally
        "GET /admin/users/{id} unknown",
        "GET /api/Todos unknown",
        "GET /api/Todos/{id} unknown",
        "GET /users unknown",
    ]
    assert any("Program.cs:4: route path" in w for w in summary.warnings)


def test_dotnet_test_projects_are_tests_and_not_read_for_facts(tmp_path: Path) -> None:
    files = {
        "src/Api/Api.csproj": _CSPROJ,
        "src/Api/Program.cs": "var app = WebApplication.CreateBuilder(args).Build();\n"
        'app.MapGet("/up", () => 1);\napp.Run();\n',
        "tests/Api.FunctionalTests/UpTests.cs": "public class UpTests { void T() {\n"
        '    Environment.GetEnvironmentVariable("TEST_ONLY"); } }\n',
        "src/Api.UnitTests/PingTest.cs": 'public class PingTest { [HttpGet("/fake")] '
        "public void F() {} }\n",
    }
    summary = scan_files(tmp_path, files)
    assert route_lines(summary) == ["GET /up unknown"]
    assert [e.name for e in summary.env_vars] == []
    assert [(t.kind, t.path) for t in summary.tests] == [
        ("unit", "src/Api.UnitTests"),
        ("integration", "tests/Api.FunctionalTests"),
    ]


def test_a_project_mapping_method_takes_the_authorization_its_caller_chains(
    tmp_path: Path,
) -> None:
    program = """var app = WebApplication.CreateBuilder(args).Build();
var orders = app.NewVersionedApi("Orders");
orders.MapOrdersApi().RequireAuthorization();
app.MapCatalogApi();
app.MapAdminApi().AllowAnonymous();
app.MapHealthChecks("/health");
app.MapMethods("/check", [HttpMethods.Options, "HEAD"], () => Results.Ok());
app.Run();
"""
    apis = """public static class OrdersApi
{
    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/orders");
        api.MapGet("/", GetOrders);
        api.MapPost("/", CreateOrder).AllowAnonymous();
        return api;
    }

    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/catalog/items", GetItems);
        return app;
    }
}
"""
    admin = """public static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/admin");
        api.MapGet("/stats", Stats).RequireAuthorization();
        api.MapGet("/ping", Ping);
        return api;
    }
}
"""
    summary = scan_files(
        tmp_path,
        {"Api.csproj": _CSPROJ, "Program.cs": program, "Apis/OrdersApi.cs": apis,
         "Apis/AdminApi.cs": admin},
    )  # fmt: skip
    assert route_lines(summary) == [
        "GET /api/admin/ping public",
        "GET /api/admin/stats required",  # the route's own chain comes first
        "GET /api/catalog/items unknown",  # called with nothing chained
        "GET /api/orders required",
        "GET /health unknown",
        "HEAD /check unknown",
        "OPTIONS /check unknown",
        "POST /api/orders public",
    ]


def test_conventional_routes_reach_each_action_of_a_controller_without_templates(
    tmp_path: Path,
) -> None:
    controller = """[Authorize]
public class AccountController : Controller
{
    [HttpGet] public IActionResult Login() => View();
    [HttpPost] public IActionResult Login(LoginModel model) => View();
    [AllowAnonymous] public IActionResult Help() => View();
    [NonAction] public IActionResult Build() => View();
    private IActionResult Hidden() => View();
}
"""
    program = """var app = WebApplication.CreateBuilder(args).Build();
app.MapControllerRoute("default", "{controller=Home}/{action=Index}/{id?}");
app.Run();
"""
    files = {"Api.csproj": _CSPROJ, "Controllers/AccountController.cs": controller}
    assert route_lines(scan_files(tmp_path / "none", files)) == []  # nothing reaches them
    summary = scan_files(tmp_path / "mapped", {**files, "Program.cs": program})
    assert route_lines(summary) == [
        "ANY /Account/Help public",
        "GET /Account/Login required",
        "POST /Account/Login required",
    ]


def test_map_without_a_verb_is_every_method_unless_it_branches_the_pipeline(
    tmp_path: Path,
) -> None:
    program = (
        "var app = WebApplication.CreateBuilder(args).Build();\n"
        'app.UseExceptionHandler("/error");\n'
        'app.Map("/error", () => Results.Problem());\n'
        'app.Map("/ctx", (HttpContext context) => context.Response.WriteAsync("x"))'
        ".RequireAuthorization();\n"
        'app.Map("/named", Handlers.Ping);\n'
        'app.Map("/branch", branch => branch.Run(c => c.Response.WriteAsync("b")));\n'
        'app.Map("/branch2", (branch) => { branch.UseRouting(); });\n'
        "app.Run();\n"
    )
    summary = scan_files(tmp_path, {"Api.csproj": _CSPROJ, "Program.cs": program})
    assert route_lines(summary) == ["ANY /ctx required", "ANY /error unknown", "ANY /named unknown"]
    error = next(r for r in summary.routes if r.path == "/error")
    assert (error.evidence[0].path, error.evidence[0].line) == ("Program.cs", 3)


def test_aspnet_fixture_stack_models_env_and_entry_point(make_repo) -> None:
    summary = scan(open_repo(make_repo("aspnet-app"), 1 << 20))
    stack = {item.name: (item.category, item.version) for item in summary.stack}
    assert stack[".NET"] == ("runtime", "8.0")
    assert stack["ASP.NET Core"][0] == "framework"
    assert stack["Entity Framework Core"] == ("orm", "8.0.4")
    assert stack["PostgreSQL"][0] == "database"  # the Npgsql provider
    assert stack["JwtBearer"] == ("auth", "8.0.4")
    assert stack["xUnit.net"] == ("testing", "2.7.0")
    assert stack["StyleCop Analyzers"] == ("linting", "1.1.118")
    assert stack["Serilog"][0] == "logging"
    assert sorted((m.kind, m.name) for m in summary.models) == [
        ("orm_model", "Order"),
        ("orm_model", "Product"),
        ("orm_model", "Supplier"),
    ]
    assert {v.name for v in summary.env_vars} == {
        "DATABASE_URL",
        "PORT",
        "ConnectionStrings__Default",  # GetConnectionString("Default")
        "Jwt__Key",  # builder.Configuration["Jwt:Key"]
        "Jwt__Issuer",
        "Cors__AllowedOrigin",  # GetSection("Cors")["AllowedOrigin"]
    }
    assert [(e.path, e.kind) for e in summary.entrypoints] == [("src/Api/Program.cs", "server")]
    chain = [m.name for m in summary.middleware if m.scope == "global"]
    assert chain[:7] == [
        "UseExceptionHandler",
        "UseSerilogRequestLogging",
        "UseHttpsRedirection",
        "UseCors",
        "RequestTimingMiddleware",
        "UseAuthentication",
        "UseAuthorization",
    ]
    assert ("handler", "UseExceptionHandler") in {(e.kind, e.name) for e in summary.errors}


def test_configuration_sections_prefix_their_keys(tmp_path: Path) -> None:
    program = (
        "var builder = WebApplication.CreateBuilder(args);\n"
        'var a = builder.Configuration.GetSection("Payments")["ApiKey"];\n'
        'var b = config.GetSection("Mail").GetSection("Smtp").GetValue<int>("Port");\n'
        'var c = _configuration.GetRequiredSection("Queue")["Name"];\n'
        'var d = GetSection("NotConfig")["X"];\n'
        'var e = options.GetSection("Other").GetValue<string>("Y");\n'
    )
    summary = scan_files(tmp_path, {"Api.csproj": _CSPROJ, "Program.cs": program})
    assert [(v.name, v.evidence[0].line) for v in summary.env_vars] == [
        ("Mail__Smtp__Port", 3),
        ("Payments__ApiKey", 2),
        ("Queue__Name", 4),
    ]


def test_aspnet_fixture_security_section_lists_transport_middleware(make_repo) -> None:
    run = run_draft(make_repo("aspnet-app"), Config(template="backend"), Path.cwd())
    security = run.document.split("## 13. Security", 1)[1].split("\n## ", 1)[0]
    assert "**Middleware:** UseHttpsRedirection" in security
    assert "**Middleware:** UseCors" in security
    assert run.findings.items == ()


def test_endpoint_modules_of_the_fixture_take_the_discovery_prefix(make_repo) -> None:
    summary = scan(open_repo(make_repo("aspnet-app"), 1 << 20))
    found = {
        (r.method, r.path): (r.handler, r.auth, r.evidence[0].path, r.evidence[0].line)
        for r in summary.routes
        if "/Endpoints/" in r.evidence[0].path and "reports" not in r.path
    }
    warehouses = "src/Api/Endpoints/Warehouses.cs"
    movements = "src/Api/Endpoints/StockMovements.cs"
    assert found == {
        ("GET", "/api/Warehouses"): ("ListWarehouses", "required", warehouses, 12),
        ("POST", "/api/Warehouses"): ("CreateWarehouse", "required", warehouses, 13),
        ("DELETE", "/api/Warehouses/{id}"): ("DeleteWarehouse", "required", warehouses, 14),
        ("GET", "/api/Warehouses/count"): (None, "required", warehouses, 15),
        ("GET", "/api/warehouses/{warehouseId}/movements"): (
            "ListMovements", "unknown", movements, 11,
        ),
        ("GET", "/api/warehouses/{warehouseId}/movements/{id}"): (
            "GetMovement", "public", movements, 12,
        ),
        ("POST", "/api/warehouses/{warehouseId}/movements"): (
            "RecordMovement", "required", movements, 13,
        ),
    }  # fmt: skip
    assert not [w for w in summary.warnings if "Endpoints/" in w or "Infrastructure/" in w]
    # the wrappers' own builder.MapGet(pattern, handler) is no registration the scan missed
    assert summary.reach.unrouted == 0


_MODULE = """public class Items : IModule
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet(ListItems);
        group.MapGet("/count", Count);
    }
}
"""


def test_project_map_verbs_need_their_declaration(tmp_path: Path) -> None:
    """Without a wrapper, a handler first is no pattern; a constant still is one; a module
    no discovery site maps keeps what its own code says."""
    program = """var app = WebApplication.CreateBuilder(args).Build();
app.MapGet(Routes.Users, ListUsers);
app.MapGet(() => "x");
app.Run();
public static class Routes { public const string Users = "/users"; }
"""
    summary = scan_files(
        tmp_path, {"Api.csproj": _CSPROJ, "Program.cs": program, "Items.cs": _MODULE}
    )
    assert route_lines(summary) == ["GET /count unknown", "GET /users unknown"]
    assert [r.handler for r in summary.routes if r.path == "/users"] == ["ListUsers"]
    assert any("Items.cs:5: route path ListItems is not a literal" in w for w in summary.warnings)
    assert any("Program.cs:3: route path" in w for w in summary.warnings)


def test_carter_modules_and_the_older_endpoint_group_base(tmp_path: Path) -> None:
    carter = """public class Books : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        app.MapGet("/books", List);
    }
}

public class Authors : CarterModule
{
    public Authors() : base("/api/authors")
    {
        this.RequireAuthorization();
    }

    public override void AddRoutes(IEndpointRouteBuilder app)
    {
        app.MapGet("/", List);
        app.MapGet("/count", Count).AllowAnonymous();
        var admin = app.MapGroup("/admin").RequireAuthorization();
        admin.MapDelete("/{id}", Delete);
    }
}
"""
    base = """public abstract class EndpointGroupBase
{
    public abstract void Map(WebApplication app);
}

public static class WebApplicationExtensions
{
    public static RouteGroupBuilder MapGroup(this WebApplication app, EndpointGroupBase group)
    {
        var groupName = group.GetType().Name;
        return app.MapGroup($"/api/{groupName}").WithTags(groupName);
    }

    public static RouteGroupBuilder MapGet(this RouteGroupBuilder group, Delegate handler,
        string pattern = "")
    {
        group.MapGet(pattern, handler).WithName(handler.Method.Name);
        return group;
    }

    public static RouteGroupBuilder MapPut(this RouteGroupBuilder group, Delegate handler,
        string pattern)
    {
        group.MapPut(pattern, handler);
        return group;
    }
}

public class TodoItems : EndpointGroupBase
{
    public override void Map(WebApplication app)
    {
        app.MapGroup(this)
            .RequireAuthorization()
            .MapGet(GetTodoItems)
            .MapPut(UpdateTodoItem, "{id}");
        app.MapGet("/plain", Plain);
    }
}
"""
    summary = scan_files(tmp_path, {"Api.csproj": _CSPROJ, "Carter.cs": carter, "Groups.cs": base})
    assert route_lines(summary) == [
        "DELETE /api/authors/admin/{id} required",
        "GET /api/TodoItems required",
        "GET /api/authors required",  # the module's constructor: all of its routes
        "GET /api/authors/count public",
        "GET /books unknown",
        "GET /plain unknown",  # the framework's MapGet: a string first
        "PUT /api/TodoItems/{id} required",
    ]


def test_a_module_prefix_property_is_taken_only_when_it_is_a_literal(tmp_path: Path) -> None:
    site = """public static class Discovery
{
    public static void MapModules(this WebApplication app)
    {
        foreach (var type in typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IModule).IsAssignableFrom(t)))
        {
            var prefix = (string?)type.GetProperty("Prefix")?.GetValue(null)
                ?? $"/v1/{type.Name.ToLowerInvariant()}";
            type.GetMethod("Map")!.Invoke(null, [app.MapGroup(prefix)]);
        }
    }
}
"""
    modules = """public class Plain : IModule
{
    public static string? Prefix => null;
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/a", A);
}

public class Computed : IModule
{
    public static string Prefix => Settings.Base + "/c";
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/b", B);
}

public class Literal : IModule
{
    public static string Prefix { get; } = "/lit";
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/c", C);
}
"""
    summary = scan_files(
        tmp_path, {"Api.csproj": _CSPROJ, "Discovery.cs": site, "Modules.cs": modules}
    )
    # type.Name.ToLowerInvariant() is not the name itself: no site, so no prefix is made up
    assert route_lines(summary) == ["GET /a unknown", "GET /b unknown", "GET /c unknown"]
    fixed = site.replace("{type.Name.ToLowerInvariant()}", "{type.Name}")
    summary = scan_files(tmp_path, {"Discovery.cs": fixed})
    assert route_lines(summary) == [
        "GET /b unknown",  # a prefix that is not a literal: the module's own paths
        "GET /lit/c unknown",
        "GET /v1/Plain/a unknown",
    ]


def test_a_module_may_derive_the_discovered_type_through_a_base_of_its_own(
    tmp_path: Path,
) -> None:
    base = """public abstract class ApiGroup : IEndpointGroup
{
    public abstract void Map(RouteGroupBuilder group);
}

public class Orders : ApiGroup
{
    public override void Map(RouteGroupBuilder group) => group.MapGet("/{id}", Get);
}
"""
    site = """public static class Discovery
{
    public static void MapGroups(this WebApplication app)
    {
        var types = typeof(Program).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.IsAssignableTo(typeof(IEndpointGroup)));
        foreach (var type in types)
        {
            var group = (IEndpointGroup)Activator.CreateInstance(type)!;
            group.Map(app.MapGroup($"/api/{type.Name}"));
        }
    }
}
"""
    summary = scan_files(tmp_path, {"Api.csproj": _CSPROJ, "Groups.cs": base, "Discovery.cs": site})
    assert route_lines(summary) == ["GET /api/Orders/{id} unknown"]


def test_a_project_map_verb_is_chosen_by_the_arguments_it_takes(tmp_path: Path) -> None:
    wrappers = """public static class Verbs
{
    public static RouteHandlerBuilder MapGet(this IEndpointRouteBuilder app, Delegate handler,
        string pattern = "")
        => app.MapGet(pattern, handler).RequireAuthorization();

    public static RouteHandlerBuilder MapPost(this RouteGroupBuilder group, string name,
        Delegate handler, string? pattern = null)
        => group.MapPost(pattern: pattern, handler: handler).WithName(name);

    public static RouteHandlerBuilder MapCommand<TCommand>(this RouteGroupBuilder group,
        string pattern)
        => group.MapPost(pattern, (TCommand command, ISender sender) => sender.Send(command));
}
"""
    program = """var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/framework", () => "x");
app.MapGet(Routes.Users, Users);
app.MapGet(Secret);
app.MapGet(Open, "open").AllowAnonymous();
app.MapGet(handler: Named, pattern: "named");
var items = app.MapGroup("/items");
items.MapPost("create", Create, "new");
items.MapPost("nothing", Nothing, Other);
items.MapCommand<Restock>("restock").RequireAuthorization();
items.MapThing("thing");
app.Run();
public static class Routes { public const string Users = "/users"; }
"""
    summary = scan_files(
        tmp_path, {"Api.csproj": _CSPROJ, "Program.cs": program, "Verbs.cs": wrappers}
    )
    assert route_lines(summary) == [
        "GET / required",  # the wrapper's default pattern and its RequireAuthorization
        "GET /framework unknown",  # a string first: the framework's MapGet
        "GET /named required",
        "GET /open public",
        "GET /users unknown",  # a string constant first: no Delegate, the framework's
        "POST /items/new unknown",
        "POST /items/restock required",  # a wrapper under a name of its own
    ]
    assert {r.path: r.handler for r in summary.routes}["/items/new"] == "Create"
    assert any("Program.cs:9: route path Other" in w for w in summary.warnings)  # a name
    assert not any("thing" in w.lower() for w in summary.warnings)  # no wrapper: no route


def test_a_minimal_api_handlers_own_attributes_decide_its_auth(tmp_path: Path) -> None:
    """``[Authorize]`` on a lambda (C# 10) or on the method a method group names is the
    endpoint's metadata as much as ``RequireAuthorization()``; ``[AllowAnonymous]`` anywhere
    wins over a guarded group."""
    endpoints = (
        "public class CatalogEndpoints\n{\n"
        "    public void AddRoute(IEndpointRouteBuilder app)\n    {\n"
        '        app.MapDelete("api/items/{id}", [Authorize(Roles = "Admins")] async '
        "(int id) => Results.Ok());\n"
        '        app.MapGet("api/items", () => Results.Ok());\n'
        '        var admin = app.MapGroup("api/admin").RequireAuthorization();\n'
        '        admin.MapGet("ping", [AllowAnonymous] () => "pong");\n'
        '        admin.MapGet("stats", () => "s");\n'
        '        app.MapPost("api/reports", CreateReport);\n'
        '        app.MapPost("api/exports", Export);\n'
        "    }\n\n"
        '    [Authorize(Policy = "Reports")]\n'
        "    private static IResult CreateReport(Report r) => Results.Ok();\n\n"
        "    [Authorize]\n    private static IResult Export(int id) => Results.Ok();\n"
        "    [AllowAnonymous]\n    private static IResult Export(string name) => Results.Ok();\n"
        "}\n"
    )
    program = "var app = WebApplication.CreateBuilder(args).Build();\napp.Run();\n"
    summary = scan_files(
        tmp_path,
        {"Api.csproj": _CSPROJ, "Program.cs": program, "CatalogEndpoints.cs": endpoints},
    )
    assert route_lines(summary) == [
        "DELETE /api/items/{id} required",
        "GET /api/admin/ping public",
        "GET /api/admin/stats required",
        "GET /api/items unknown",
        "POST /api/exports unknown",  # overloads that disagree decide nothing
        "POST /api/reports required",
    ]


def test_generated_csharp_is_not_read_for_facts(tmp_path: Path) -> None:
    """A file Roslyn counts as generated (``// <auto-generated />``: EF Core migrations and
    model snapshots, designer files) is a tool's output, not the project's code."""
    generated = (
        "// <auto-generated />\nusing Microsoft.EntityFrameworkCore.Migrations;\n\n"
        "public partial class Init : Migration\n{\n"
        "    protected override void Up(MigrationBuilder b)\n    {\n"
        '        var name = Environment.GetEnvironmentVariable("ONLY_IN_GENERATED");\n'
        '        b.CreateTable(name: "Items", columns: t => new { Id = t.Column<int>() });\n'
        "    }\n}\n"
    )
    program = (
        "var app = WebApplication.CreateBuilder(args).Build();\n"
        'var key = Environment.GetEnvironmentVariable("API_KEY_NAME");\n'
        'app.MapGet("/items", () => "ok");\napp.Run();\n'
    )
    summary = scan_files(
        tmp_path,
        {
            "Api.csproj": _CSPROJ,
            "Program.cs": program,
            "Migrations/20240101_Init.cs": generated,
        },
    )
    assert [e.name for e in summary.env_vars] == ["API_KEY_NAME"]
    assert route_lines(summary) == ["GET /items unknown"]


def test_fastendpoints_classes_route_by_their_configure_and_are_secure_by_default(
    tmp_path: Path,
) -> None:
    program = (
        "var app = WebApplication.CreateBuilder(args).Build();\n"
        'app.UseFastEndpoints(c => { c.Endpoints.RoutePrefix = "api"; });\napp.Run();\n'
    )
    request = (
        "public record GetCartRequest\n{\n"
        '    public const string Route = "/cart/{CartId:guid}";\n'
        "    public Guid CartId { get; init; }\n}\n"
    )
    endpoints = (
        "using FastEndpoints;\n\n"
        "public class GetCart : FastEndpoints.Endpoint<GetCartRequest, CartResponse>\n{\n"
        "    public override void Configure()\n    {\n"
        "        Get(GetCartRequest.Route);\n        AllowAnonymous();\n    }\n}\n\n"
        "public class SaveCart : Endpoint<SaveCartRequest>\n{\n"
        "    public override void Configure()\n    {\n"
        "        Verbs(Http.POST, Http.PUT);\n"
        '        Routes("/cart");\n        Roles("Shopper");\n    }\n}\n\n'
        "public class Ping : EndpointWithoutRequest\n{\n"
        '    public override void Configure() { Get("/ping"); }\n}\n\n'
        "public class Helper : Base\n{\n"
        '    public override void Configure() { Get("/not-a-route"); }\n}\n'
    )
    summary = scan_files(
        tmp_path,
        {"Api.csproj": _CSPROJ, "Program.cs": program, "Cart/GetCartRequest.cs": request,
         "Cart/Endpoints.cs": endpoints},
    )  # fmt: skip
    assert route_lines(summary) == [
        "GET /api/cart/{CartId} public",
        "GET /api/ping required",  # FastEndpoints secures an endpoint unless it allows anyone
        "POST /api/cart required",
        "PUT /api/cart required",
    ]
    ping = next(r for r in summary.routes if r.path == "/api/ping")
    assert (ping.handler, ping.evidence[0].path, ping.evidence[0].line) == (
        "Ping",
        "Cart/Endpoints.cs",
        24,
    )

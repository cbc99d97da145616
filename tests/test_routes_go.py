"""Go routers reached through method patterns, wrapper libraries and struct fields."""

from __future__ import annotations

from pathlib import Path

from .conftest import route_lines, scan_files


def test_servemux_method_patterns_keep_the_path_without_the_host(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "go.mod": "module example.com/notes\n\ngo 1.22\n",
            "main.go": "package main\n\n"
            'import "net/http"\n\n'
            "func main() {\n"
            "\tmux := http.NewServeMux()\n"
            '\tmux.HandleFunc("GET /notes/{id}", getNote)\n'
            '\tmux.Handle("POST /notes", http.HandlerFunc(createNote))\n'
            '\tmux.HandleFunc("GET example.com/status", status)\n'
            '\tmux.HandleFunc("DELETE  /files/{path...}", deleteFile)\n'
            '\tmux.HandleFunc("GET /{$}", home)\n'
            '\tmux.HandleFunc("/legacy", legacy)\n'
            '\thttp.ListenAndServe(":8080", mux)\n'
            "}\n",
        },
    )
    assert route_lines(summary) == [
        "ANY /legacy unknown",  # no method in the pattern: every method
        "DELETE /files/{path} unknown",
        "GET / unknown",
        "GET /notes/{id} unknown",
        "GET /status unknown",  # the host picks a server, it is not part of the path
        "POST /notes unknown",
    ]


def test_routegroup_bundles_routes_groups_mounts_and_middleware(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "go.mod": "module example.com/blog\n\nrequire github.com/go-pkgz/routegroup v1.1.0\n",
            "server.go": "package server\n\n"
            "import (\n"
            '\t"net/http"\n\n'
            '\t"github.com/go-pkgz/routegroup"\n'
            ")\n\n"
            "func (s *Server) Run() error {\n"
            "\trouter := routegroup.New(http.NewServeMux())\n"
            "\trouter.Use(logInfoWithBody, rateLimiter(10))\n"
            '\trouter.HandleFunc("GET /ping", s.ping)\n'
            "\trouter.Route(func(r *routegroup.Bundle) {\n"
            "\t\tr.Use(auth.Trace)\n"
            '\t\tr.HandleFunc("GET /config", s.config)\n'
            "\t})\n"
            '\tapi := router.Mount("/api/v1")\n'
            "\tapi.Group().Route(func(priv *routegroup.Bundle) {\n"
            "\t\tpriv.Use(auth.Auth)\n"
            '\t\tpriv.HandleFunc("POST /comment", s.create)\n'
            '\t\tpriv.Mount("/admin").Route(func(adm *routegroup.Bundle) {\n'
            '\t\t\tadm.HandleFunc("DELETE /comment/{id}", s.remove)\n'
            "\t\t})\n"
            "\t})\n"
            '\tapi.With(requireToken).HandleFunc("GET /export", s.export)\n'
            '\tapi.HandleFunc("GET /find", s.find)\n'
            "\trouter = s.routes(router)\n"
            '\tv2 := routegroup.Mount(http.NewServeMux(), "/v2")\n'
            '\tv2.HandleFunc("GET /info", s.info)\n'
            '\treturn http.ListenAndServe(":8080", router)\n'
            "}\n",
            "routes.go": "package server\n\n"
            'import "github.com/go-pkgz/routegroup"\n\n'
            "func (s *Server) routes(router *routegroup.Bundle) *routegroup.Bundle {\n"
            '\tg := router.Mount("/web")\n'
            '\tg.HandleFunc("GET /page", s.page)\n'
            "\treturn router\n"
            "}\n",
        },
    )
    assert route_lines(summary) == [
        "DELETE /api/v1/admin/comment/{id} required",  # under the group's auth.Auth
        "GET /api/v1/export required",  # With(requireToken): this route alone
        "GET /api/v1/find unknown",
        "GET /config unknown",  # auth.Trace lets anonymous callers in
        "GET /ping unknown",  # logInfoWithBody logs; it is no login
        "GET /v2/info unknown",  # routegroup.Mount(mux, "/v2")
        "GET /web/page unknown",  # the router handed to s.routes and given back
        "POST /api/v1/comment required",
    ]


def test_routers_reached_as_struct_fields(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "go.mod": "module example.com/push\n\n"
            "require (\n\tgithub.com/gorilla/mux v1.8.0\n\tgithub.com/gin-gonic/gin v1.9.0\n)\n",
            # Server comes from a library: only the call shape says HTTP is a router
            "modules.go": "package push\n\n"
            'import "github.com/weaveworks/common/server"\n\n'
            "type Push struct{ Server *server.Server }\n\n"
            "func (t *Push) initAPI() {\n"
            '\tt.Server.HTTP.Path("/api/v1/push").Methods("POST").Handler(t.push)\n'
            '\tt.Server.HTTP.PathPrefix("/static/").Handler(t.static)\n'
            '\tt.Server.HTTP.Methods("GET").Path("/ready").HandlerFunc(t.ready)\n'
            "}\n",
            # s.router is made in one file and given its routes in others
            "api/server.go": "package api\n\n"
            'import "github.com/gorilla/mux"\n\n'
            "type API struct {\n\trouter *mux.Router\n\tengine *gin.Engine\n\tcache  *Cache\n}\n\n"
            "func New() *API {\n"
            "\ta := &API{}\n"
            "\ta.router = mux.NewRouter()\n"
            "\ta.router.Use(a.authenticate)\n"
            "\treturn a\n"
            "}\n",
            "api/routes.go": "package api\n\n"
            "func (a *API) register() {\n"
            '\tv1 := a.router.PathPrefix("/api/v1").Subrouter()\n'
            '\tv1.HandleFunc("/users", a.users).Methods("GET")\n'
            "\tregisterOrders(v1)\n"
            '\ta.router.HandleFunc("/health", a.health)\n'
            '\ta.engine.GET("/metrics", a.metrics)\n'
            '\ta.cache.Get("/not-a-route", a.users)\n'
            '\ta.client.Get("/neither")\n'
            "}\n",
            "api/orders.go": "package api\n\n"
            'import "github.com/gorilla/mux"\n\n'
            "func registerOrders(r *mux.Router) {\n"
            '\tr.Path("/orders").Methods("POST").HandlerFunc(createOrder)\n'
            "}\n",
        },
    )
    # the field's routes are guarded by the middleware New put on the router it holds
    assert route_lines(summary) == [
        "ANY /health required",
        "ANY /static unknown",
        "GET /api/v1/users required",
        "GET /metrics unknown",  # engine is a *gin.Engine field of API
        "GET /ready unknown",
        "POST /api/v1/orders required",  # a parameter's routes joined to the prefix
        "POST /api/v1/push unknown",
    ]


def test_routes_registered_through_a_servers_own_helper_methods(tmp_path: Path) -> None:
    """func (s *Server) handle(method, path string, h) { s.mux.HandleFunc(method+" "+path, h) }
    and a wrapper of it in another file: each call with literals is a route."""
    summary = scan_files(
        tmp_path,
        {
            "go.mod": "module example.com/notes\n\ngo 1.22\n",
            "server.go": "package api\n\n"
            'import "net/http"\n\n'
            "type Server struct{ mux *http.ServeMux }\n\n"
            "func New() *Server {\n"
            "\ts := &Server{mux: http.NewServeMux()}\n"
            "\ts.routes()\n"
            "\treturn s\n"
            "}\n\n"
            "func (s *Server) handle(method, path string, h http.HandlerFunc) {\n"
            '\ts.mux.HandleFunc(method+" "+path, h)\n'
            "}\n\n"
            "func (s *Server) get(path string, h http.HandlerFunc) {\n"
            '\ts.handle("GET", path, h)\n'
            "}\n\n"
            'func (s *Server) Start() error { return http.ListenAndServe(":8080", s.mux) }\n',
            "routes.go": "package api\n\n"
            "func (s *Server) routes() {\n"
            '\ts.handle("POST", "/notes", s.createNote)\n'
            '\ts.handle("DELETE", "/notes/{id}", s.deleteNote)\n'
            '\ts.get("/notes/{id}", s.getNote)\n'
            "}\n",
        },
    )
    assert route_lines(summary) == [
        "DELETE /notes/{id} unknown",
        "GET /notes/{id} unknown",
        "POST /notes unknown",
    ]
    route = next(r for r in summary.routes if r.method == "GET")
    assert (route.handler, route.evidence[0].path, route.evidence[0].line) == (
        "s.getNote", "routes.go", 6,
    )  # fmt: skip


def test_go_paths_and_prefixes_through_constants_of_another_package(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "go.mod": "module example.com/shop\n\nrequire github.com/go-chi/chi/v5 v5.0.0\n",
            "paths/paths.go": "package paths\n\n"
            "const (\n"
            '\tUsers = "/users"\n'
            '\tUser  = "/users/{id}"\n'
            ")\n",
            "main.go": "package main\n\n"
            "import (\n"
            '\t"net/http"\n\n'
            '\t"example.com/shop/paths"\n'
            '\t"github.com/go-chi/chi/v5"\n'
            ")\n\n"
            'const apiPrefix = "/api"\n'
            'const userPath = "/users/{id}"\n\n'
            "func main() {\n"
            "\tr := chi.NewRouter()\n"
            "\tr.Route(apiPrefix, func(r chi.Router) {\n"
            "\t\tr.Get(paths.Users, listUsers)\n"
            '\t\tr.Delete(userPath+"/sessions", dropSessions)\n'
            "\t\tr.Post(unknownPath, createUser)\n"
            "\t})\n"
            '\thttp.ListenAndServe(":8080", r)\n'
            "}\n",
        },
    )
    assert route_lines(summary) == [
        "DELETE /api/users/{id}/sessions unknown",
        "GET /api/users unknown",
    ]
    assert "main.go:18: route path unknownPath is not a literal; the route is left out" in (
        summary.warnings
    )

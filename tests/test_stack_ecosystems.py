"""Manifests, runtimes and stack rules of Ruby, PHP, .NET and Rust: what a user scanning a
small app of each kind sees, and what a broken manifest of each format gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from archdraft.repo import open_repo
from archdraft.scan import scan
from archdraft.scan.summary import RepoSummary
from archdraft.scan.technologies import BY_NAME, TECHNOLOGIES


def _scan(root: Path, files: dict[str, str | bytes]) -> RepoSummary:
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            (root / name).write_bytes(content)
        else:
            (root / name).write_text(content)
    return scan(open_repo(root, 1 << 20))


def _stack(summary: RepoSummary) -> set[tuple[str, str, str | None]]:
    return {(item.category, item.name, item.version) for item in summary.stack}


def _cited(summary: RepoSummary, name: str) -> list[str]:
    item = next(i for i in summary.stack if i.name == name)
    return [f"{e.path}:{e.line}" for e in item.evidence]


GEMFILE = """\
source "https://rubygems.org"

ruby "3.3.0"

gem "rails", "~> 7.1.3", ">= 7.1.3.2"
gem "pg", "~> 1.1"
gem "puma", ">= 5.0"
gem "devise"
gem "sidekiq", "~> 7.2" # jobs
gem "lograge"
gem "jwt" if ENV["API"]

group :development, :test do
  gem "sqlite3"
  gem "rspec-rails", "~> 6.1"
  gem "rubocop", require: false
  %w[pry byebug].each do |debugger|
    gem debugger
  end
end

group :production do
  gem "dalli"
end

gem "brakeman", group: :development
"""
GEMFILE_LOCK = """\
GEM
  remote: https://rubygems.org/
  specs:
    devise (4.9.3)
      bcrypt (~> 3.0)
    lograge (0.14.0)
    nokogiri (1.16.0-x86_64-linux)
    pg (1.5.4)
    rails (7.1.3.2)
      actionpack (= 7.1.3.2)

PLATFORMS
  x86_64-linux

DEPENDENCIES
  devise
  lograge
  pg (~> 1.1)
  rails (~> 7.1.3, >= 7.1.3.2)

RUBY VERSION
   ruby 3.3.0p0

BUNDLED WITH
   2.5.3
"""


def test_a_rails_app_stack_from_its_gemfile_and_lock(tmp_path: Path) -> None:
    summary = _scan(tmp_path, {
        "Gemfile": GEMFILE,
        "Gemfile.lock": GEMFILE_LOCK,
        ".ruby-version": "ruby-3.2.2\n",
        ".rubocop.yml": "AllCops:\n  NewCops: enable\n",
        "app/models/user.rb": "class User < ApplicationRecord\nend\n",
        "test/test_helper.rb": "require 'rails/test_help'\n",
        # Stimulus controllers run in the browser: no Node.js runtime for the backend
        "app/javascript/controllers/hello_controller.js": "export default class {}\n",
    })  # fmt: skip
    assert _stack(summary) == {
        ("runtime", "Ruby", "3.3.0"),  # the Gemfile's, before .ruby-version's
        ("framework", "Ruby on Rails", "~> 7.1.3, >= 7.1.3.2"),
        ("database", "PostgreSQL", None),  # sqlite3 is a development and test gem
        ("orm", "Active Record", None),  # rails' version is not Active Record's own
        ("logging", "Lograge", "0.14.0"),  # declared without a version: the lock's
        ("testing", "RSpec", None),
        ("testing", "Minitest", None),
        ("linting", "RuboCop", None),
        ("linting", "Brakeman", None),
        ("cache", "Memcached", None),
        ("cache", "Redis", None),
        ("queue", "Sidekiq", "~> 7.2"),
        ("auth", "Devise", "4.9.3"),
        ("auth", "ruby-jwt", None),
    }
    assert _cited(summary, "Sidekiq") == ["Gemfile:9"]
    assert _cited(summary, "Ruby") == ["Gemfile:3"]
    assert {a.method for a in summary.auth} == {"jwt", "session"}
    assert not summary.warnings


def test_a_gemfile_without_ruby_code_is_no_ruby_backend(tmp_path: Path) -> None:
    """A React Native app's Gemfile pins CocoaPods: no Ruby runtime, and the app's own
    package.json keeps its folder a frontend."""
    summary = _scan(tmp_path, {
        "Gemfile": 'source "https://rubygems.org"\nruby ">= 2.6.10"\ngem "cocoapods", ">= 1.13"\n',
        "package.json": '{"dependencies": {"react": "18", "react-native": "0.74"}}',
        "App.tsx": "export default function App() { return null }\n",
    })  # fmt: skip
    assert [i.name for i in summary.stack if i.category == "runtime"] == []


COMPOSER_JSON = """\
{
    "name": "acme/shop",
    "type": "project",
    "require": {
        "php": "^8.2",
        "ext-pdo": "*",
        "laravel/framework": "^11.0",
        "laravel/sanctum": "^4.0",
        "laravel/horizon": "*",
        "monolog/monolog": "^3.5"
    },
    "require-dev": {
        "fakerphp/faker": "^1.23",
        "laravel/pint": "^1.13",
        "phpunit/phpunit": "^11.0",
        "pestphp/pest": "^2.34",
        "larastan/larastan": "^2.9"
    }
}
"""


def test_a_laravel_app_stack_from_composer(tmp_path: Path) -> None:
    summary = _scan(tmp_path, {
        "composer.json": COMPOSER_JSON,
        "composer.lock": '{"packages": [{"name": "laravel/horizon", "version": "v5.24.1"}],'
                         ' "packages-dev": []}',
        "app/Models/Order.php": "<?php\nnamespace App\\Models;\nclass Order {}\n",
        "phpunit.xml": "<phpunit/>\n",
    })  # fmt: skip
    assert _stack(summary) == {
        ("runtime", "PHP", "^8.2"),
        ("framework", "Laravel", "^11.0"),
        ("orm", "Eloquent", None),
        ("logging", "Monolog", "^3.5"),
        ("testing", "Faker", "^1.23"),
        ("testing", "PHPUnit", "^11.0"),
        ("testing", "Pest", "^2.34"),
        ("linting", "PHPStan", None),  # Larastan is PHPStan's Laravel wrapper
        ("formatting", "Laravel Pint", "^1.13"),
        ("cache", "Redis", None),
        ("queue", "Laravel Horizon", "v5.24.1"),  # "*" in composer.json: the locked one
        ("auth", "Laravel Sanctum", "^4.0"),
    }
    assert _cited(summary, "PHP") == ["composer.json:5"]
    assert _cited(summary, "Laravel") == ["composer.json:7"]
    assert not summary.warnings


API_CSPROJ = """\
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <EfVersion>8.0.2</EfVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.EntityFrameworkCore" Version="$(EfVersion)" />
    <PackageReference Include="Npgsql.EntityFrameworkCore.PostgreSQL" Version="8.0.2" />
    <PackageReference Include="Microsoft.AspNetCore.Authentication.JwtBearer" Version="8.0.2" />
    <PackageReference Include="Serilog" />
    <PackageReference Include="FluentValidation">
      <Version>11.9.0</Version>
    </PackageReference>
    <PackageReference Include="Hangfire.AspNetCore" Version="1.8.11" />
    <PackageReference Include="Swashbuckle.AspNetCore" Version="6.5.0" />
    <PackageReference Include="StyleCop.Analyzers" Version="1.1.118" PrivateAssets="all" />
  </ItemGroup>
</Project>
"""
TEST_CSPROJ = """\
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.NET.Test.Sdk" Version="17.9.0" />
    <PackageReference Include="xunit" Version="2.7.0" />
    <PackageReference Include="Microsoft.EntityFrameworkCore.InMemory" Version="8.0.2" />
  </ItemGroup>
</Project>
"""


def test_an_aspnet_core_app_stack_from_its_projects(tmp_path: Path) -> None:
    summary = _scan(tmp_path, {
        "src/Api/Api.csproj": API_CSPROJ,
        "src/Api/Program.cs": "var app = WebApplication.CreateBuilder(args).Build();\n",
        "tests/Api.Tests/Api.Tests.csproj": TEST_CSPROJ,
        "Directory.Packages.props": '<Project>\n  <ItemGroup>\n'
                                    '    <PackageVersion Include="Serilog" Version="3.1.1" />\n'
                                    "  </ItemGroup>\n</Project>\n",
    })  # fmt: skip
    assert _stack(summary) == {
        ("runtime", ".NET", "8.0"),
        ("framework", "ASP.NET Core", None),  # from the Web SDK: no package names it
        ("database", "PostgreSQL", None),
        ("orm", "Entity Framework Core", "8.0.2"),  # $(EfVersion) resolved
        ("validation", "FluentValidation", "11.9.0"),
        ("logging", "Serilog", "3.1.1"),  # the central version
        ("testing", "xUnit.net", "2.7.0"),
        ("linting", "StyleCop Analyzers", "1.1.118"),
        ("queue", "Hangfire", None),
        ("auth", "JwtBearer", "8.0.2"),
        ("api_docs", "Swashbuckle", "6.5.0"),
    }
    assert _cited(summary, "ASP.NET Core")[0] == "src/Api/Api.csproj:1"
    assert _cited(summary, ".NET") == ["src/Api/Api.csproj:3"]
    assert not summary.warnings


PACKAGES_PROPS = """\
<Project>
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <DapperVersion>2.1.35</DapperVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageVersion Include="Dapper" Version="$(DapperVersion)" />
  </ItemGroup>
</Project>
"""
SERVER_CSPROJ = """\
<Project Sdk="Microsoft.NET.Sdk.Web">
  <ItemGroup>
    <PackageReference Include="Dapper" />
  </ItemGroup>
</Project>
"""
BLAZOR_CSPROJ = """\
<Project Sdk="Microsoft.NET.Sdk.BlazorWebAssembly">
  <PropertyGroup><TargetFramework>net9.0</TargetFramework></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.Extensions.Identity.Core" />
  </ItemGroup>
</Project>
"""


def test_a_blazor_webassembly_client_is_a_frontend_beside_the_server(tmp_path: Path) -> None:
    summary = _scan(tmp_path, {
        "Directory.Packages.props": PACKAGES_PROPS,
        "src/Server/Server.csproj": SERVER_CSPROJ,
        "src/Server/Program.cs": "var app = WebApplication.Create();\n",
        "src/Client/Client.csproj": BLAZOR_CSPROJ,
        "src/Client/Program.cs": "await builder.Build().RunAsync();\n",
    })  # fmt: skip
    assert _stack(summary) == {
        ("runtime", ".NET", "8.0"),  # Directory.Packages.props is imported by every project
        ("framework", "ASP.NET Core", None),
        ("orm", "Dapper", "2.1.35"),  # $(DapperVersion), from the central versions
    }
    assert _cited(summary, ".NET") == ["Directory.Packages.props:3"]


@pytest.mark.parametrize(
    ("frameworks", "runtimes"),
    [
        ("<TargetFramework>net48</TargetFramework>", [(".NET Framework", "4.8")]),
        ("<TargetFrameworks>net472;net8.0;net9.0</TargetFrameworks>",
         [(".NET", "8.0"), (".NET Framework", "4.7.2")]),
        ("<TargetFramework>netstandard2.0</TargetFramework>", [(".NET", None)]),
    ],
)  # fmt: skip
def test_target_frameworks_name_the_runtimes(
    tmp_path: Path, frameworks: str, runtimes: list[tuple[str, str | None]]
) -> None:
    summary = _scan(tmp_path, {
        "Legacy.csproj": f'<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n'
                         f"    {frameworks}\n  </PropertyGroup>\n</Project>\n",
        "Legacy.cs": "class Legacy {}\n",
    })  # fmt: skip
    found = [(i.name, i.version) for i in summary.stack if i.category == "runtime"]
    assert found == runtimes


CARGO_TOML = """\
[package]
name = "conduit"
version = "0.1.0"
edition = "2021"
rust-version = "1.75"

[dependencies]
axum = { version = "0.7", features = ["macros"] }
sqlx = { version = "0.7", features = ["runtime-tokio", "postgres"] }
tracing = "0.1"
subscriber = { version = "0.3", package = "tracing-subscriber" }
jsonwebtoken = "9"
validator = { workspace = true }
redis = { git = "https://github.com/redis-rs/redis-rs" }

[dependencies.tower-sessions]
version = "0.12"

[dev-dependencies]
mockall = "0.12"

[workspace.dependencies]
validator = { version = "0.18", features = ["derive"] }
"""
CARGO_LOCK = """\
version = 3

[[package]]
name = "redis"
version = "0.25.3"

[[package]]
name = "syn"
version = "1.0.109"

[[package]]
name = "syn"
version = "2.0.60"
"""


def test_an_axum_app_stack_from_cargo(tmp_path: Path) -> None:
    summary = _scan(tmp_path, {
        "Cargo.toml": CARGO_TOML,
        "Cargo.lock": CARGO_LOCK,
        "rust-toolchain.toml": '[toolchain]\nchannel = "1.77.0"\n',
        "rustfmt.toml": "edition = \"2021\"\n",
        "src/main.rs": "fn main() {}\n",
        "tests/api.rs": "#[test]\nfn health() {}\n",
        ".github/workflows/ci.yml": "jobs:\n  test:\n    steps:\n"
                                    "      - run: cargo clippy -- -D warnings\n",
    })  # fmt: skip
    assert _stack(summary) == {
        ("runtime", "Rust", "1.75"),  # rust-version, before the toolchain file's pin
        ("framework", "axum", "0.7"),
        ("database", "PostgreSQL", None),  # sqlx built with its "postgres" feature
        ("orm", "SQLx", "0.7"),
        ("validation", "validator", "0.18"),  # the workspace's version
        ("logging", "tracing", "0.1"),
        ("testing", "cargo test", None),
        ("testing", "mockall", "0.12"),
        ("linting", "Clippy", None),
        ("formatting", "rustfmt", None),
        ("cache", "Redis", None),
        ("auth", "jsonwebtoken", "9"),
        ("auth", "tower-sessions", "0.12"),
        ("ci", "GitHub Actions", None),
    }
    assert _cited(summary, "tower-sessions") == ["Cargo.toml:16"]
    assert _cited(summary, "SQLx") == ["Cargo.toml:9"]
    assert not summary.warnings


def test_a_rust_toolchain_file_gives_the_version_when_cargo_declares_none(
    tmp_path: Path,
) -> None:
    summary = _scan(tmp_path, {
        "Cargo.toml": '[package]\nname = "x"\n\n[dependencies]\nactix-web = "4"\n',
        "rust-toolchain": "1.78.0\n",
        "src/main.rs": "fn main() {}\n",
    })  # fmt: skip
    assert ("runtime", "Rust", "1.78.0") in _stack(summary)
    assert ("framework", "Actix Web", "4") in _stack(summary)


@pytest.mark.parametrize(
    ("name", "content", "warning"),
    [
        ("Gemfile", 'gem "rails\ngem "pg"\n', "Gemfile:1: a statement could not be read"),
        ("Gemfile.lock", "GEM\n  specs:\n    secret-gem 1.0\n<<<<<<< HEAD\n",
         "Gemfile.lock: skipped, not a valid Gemfile.lock (line 3)"),
        ("composer.json", '{"require": {"secret/pkg": "1"',
         "composer.json: skipped, not valid JSON"),
        ("composer.lock", "[secret]", "composer.lock: skipped, not valid JSON"),
        ("App.csproj", "<Project><ItemGroup>secret</Project>",
         "App.csproj: skipped, not valid XML (line 1)"),
        ("App.csproj", b"\x00\x01secret\x02" * 10, "App.csproj: skipped, binary content"),
        ("App.csproj", '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY s "secret">]><Project>&s;'
         "</Project>", "App.csproj: skipped, entity declarations are not read"),
        ("Directory.Packages.props", "<secret/>",
         "Directory.Packages.props: skipped, not an MSBuild project"),
        ("packages.lock.json", "{secret", "packages.lock.json: skipped, not valid JSON"),
        ("Cargo.toml", "[package\nname = 'secret'\n", "Cargo.toml: skipped, not valid TOML"),
        ("Cargo.lock", "secret = \n", "Cargo.lock: skipped, not valid TOML"),
        ("rust-toolchain.toml", "[toolchain\n", "rust-toolchain.toml: skipped, not valid TOML"),
    ],
)  # fmt: skip
def test_a_broken_manifest_is_a_warning_that_quotes_nothing(
    tmp_path: Path, name: str, content: str | bytes, warning: str
) -> None:
    summary = _scan(tmp_path, {name: content, "main.rs": "fn main() {}\n"})
    assert any(w.startswith(warning) for w in summary.warnings), summary.warnings
    assert "secret" not in summary.to_json()


def test_every_technology_has_its_own_name() -> None:
    assert len(BY_NAME) == len(TECHNOLOGIES)


@pytest.mark.parametrize(
    "name",
    ["Gemfile", "Gemfile.lock", ".ruby-version", "composer.json", "composer.lock", "App.csproj",
     "Directory.Build.props", "Directory.Packages.props", "packages.lock.json", "Cargo.toml",
     "Cargo.lock", "rust-toolchain", "rust-toolchain.toml"],
)  # fmt: skip
def test_no_manifest_fails_a_scan_whatever_it_holds(tmp_path: Path, name: str) -> None:
    import random

    rng = random.Random(name)
    pieces = ["[", "{", "<", '"', "'", "gem ", "group :test do", "end", "\n", "=", ":",
              '<Project Sdk="', "[[package]]", "  specs:\n", "    x (", "$(", "\x00"]  # fmt: skip
    texts = ["[" * 100_000, "<a>" * 50_000, "group :a do\n" * 5000, '{"require": ' * 50_000]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 200))) for _ in range(30)]
    for number, text in enumerate(texts):
        root = tmp_path / str(number)
        summary = _scan(root, {name: text, "main.rs": "fn main() {}\n"})  # nothing raised
        # and no reader failed on noise: only hostile nesting is left to the safety net
        failed = [w for w in summary.warnings if "it could not be read" in w]
        assert number < 4 or not failed, failed

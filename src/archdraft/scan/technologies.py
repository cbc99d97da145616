"""Technology rules as data: one row per technology.

A row names the technology as its own documentation writes it, its spec category, and
what reveals it: package names per ecosystem (npm, PyPI, Go module paths, Maven/Gradle
``group:artifact`` patterns, RubyGems, Packagist ``vendor/package``, NuGet patterns and
crates; a crate's ``name/feature`` is that crate built with a Cargo feature), marker files (fnmatch patterns; with a ``/`` they match the
whole repository path, without one the file name), docker-compose image names, tool names
run by CI, Makefiles or pre-commit hooks, and environment variable prefixes. ``implies``
names technologies a row brings with it (Mongoose means MongoDB); ``needs`` names files
without which the package is not that technology in this repository (Next.js is a backend
framework only where it has API routes).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

CATEGORIES = (
    "runtime", "framework", "database", "orm", "validation", "logging", "testing", "linting",
    "formatting", "type_checking", "cache", "queue", "auth", "http_client", "api_docs",
    "container", "ci",
)  # fmt: skip
# Categories a development-only dependency may establish; a dev dependency on, say, a web
# framework (used by a build script or a test) is not the project's framework.
DEV_CATEGORIES = frozenset({"testing", "linting", "formatting", "type_checking", "api_docs"})
ECOSYSTEMS = ("npm", "pypi", "go", "maven", "rubygems", "packagist", "nuget", "crates")


@dataclass(frozen=True)
class Tech:
    name: str
    category: str
    npm: tuple[str, ...] = ()
    pypi: tuple[str, ...] = ()
    go: tuple[str, ...] = ()
    maven: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    commands: tuple[str, ...] = ()
    env: tuple[str, ...] = ()
    implies: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    server: bool = False
    """Named for a server reached through a client package: the package's version is the
    client's, not the server's, so no version is reported."""
    rubygems: tuple[str, ...] = ()
    packagist: tuple[str, ...] = ()
    nuget: tuple[str, ...] = ()
    """NuGet package ids as fnmatch patterns (``Serilog.*``), matched without case, as
    NuGet matches ids."""
    crates: tuple[str, ...] = ()


_SERVERS = frozenset({
    "Redis", "Memcached", "RabbitMQ", "Kafka", "Amazon SQS", "NATS", "Keycloak",
})  # fmt: skip


def _t(name: str, category: str, *, npm: str = "", pypi: str = "", go: str = "",
       maven: str = "", files: str = "", images: str = "", commands: str = "", env: str = "",
       implies: str = "", needs: str = "", rubygems: str = "", packagist: str = "",
       nuget: str = "", crates: str = "") -> Tech:  # fmt: skip
    return Tech(
        name, category, tuple(npm.split()), tuple(pypi.split()), tuple(go.split()),
        tuple(maven.split()), tuple(files.split()), tuple(images.split()),
        tuple(commands.split()), tuple(env.split()), tuple(i for i in implies.split(",") if i),
        tuple(needs.split()), server=category == "database" or name in _SERVERS,
        rubygems=tuple(rubygems.split()), packagist=tuple(packagist.split()),
        nuget=tuple(nuget.split()), crates=tuple(crates.split()),
    )  # fmt: skip


# fmt: off
TECHNOLOGIES: tuple[Tech, ...] = (
    # ---- framework
    _t("Express", "framework", npm="express"),
    _t("NestJS", "framework", npm="@nestjs/core", files="nest-cli.json"),
    _t("Fastify", "framework", npm="fastify"),
    _t("Koa", "framework", npm="koa"),
    _t("routing-controllers", "framework", npm="routing-controllers"),
    _t("Hono", "framework", npm="hono"),
    _t("Hapi", "framework", npm="@hapi/hapi hapi"),
    _t("Next.js", "framework", npm="next", needs="pages/api/* src/pages/api/* app/api/*route.* src/app/api/*route.*"),
    _t("Restify", "framework", npm="restify"),
    _t("AdonisJS", "framework", npm="@adonisjs/core"),
    _t("Feathers", "framework", npm="@feathersjs/feathers"),
    _t("LoopBack", "framework", npm="@loopback/core loopback"),
    _t("Sails", "framework", npm="sails"),
    _t("Elysia", "framework", npm="elysia"),
    _t("Apollo Server", "framework", npm="apollo-server @apollo/server apollo-server-express"),
    _t("GraphQL Yoga", "framework", npm="graphql-yoga"),
    _t("tRPC", "framework", npm="@trpc/server"),
    _t("Socket.IO", "framework", npm="socket.io"),
    _t("FastAPI", "framework", pypi="fastapi"),
    # manage.py is no marker: many projects have one that is not Django's
    _t("Django", "framework", pypi="django"),
    _t("Django REST framework", "framework", pypi="djangorestframework"),
    _t("Django Ninja", "framework", pypi="django-ninja"),
    _t("Flask", "framework", pypi="flask"),
    _t("Starlette", "framework", pypi="starlette"),
    _t("aiohttp", "framework", pypi="aiohttp"),
    _t("Sanic", "framework", pypi="sanic"),
    _t("Tornado", "framework", pypi="tornado"),
    _t("Litestar", "framework", pypi="litestar"),
    _t("Falcon", "framework", pypi="falcon"),
    _t("Pyramid", "framework", pypi="pyramid"),
    _t("Quart", "framework", pypi="quart"),
    _t("Bottle", "framework", pypi="bottle"),
    _t("Strawberry", "framework", pypi="strawberry-graphql"),
    _t("Graphene", "framework", pypi="graphene graphene-django"),
    _t("Channels", "framework", pypi="channels"),
    _t("Gin", "framework", go="github.com/gin-gonic/gin"),
    _t("Echo", "framework", go="github.com/labstack/echo"),
    _t("Chi", "framework", go="github.com/go-chi/chi"),
    _t("Fiber", "framework", go="github.com/gofiber/fiber"),
    _t("Gorilla Mux", "framework", go="github.com/gorilla/mux"),
    _t("Beego", "framework", go="github.com/beego/beego github.com/astaxie/beego"),
    _t("Buffalo", "framework", go="github.com/gobuffalo/buffalo"),
    _t("gRPC", "framework", go="google.golang.org/grpc", npm="@grpc/grpc-js", pypi="grpcio", maven="io.grpc:*",
       rubygems="grpc", packagist="grpc/grpc", nuget="Grpc.AspNetCore Grpc.Net.Client Grpc.Core", crates="tonic"),
    _t("Spring Boot", "framework", maven="org.springframework.boot:*"),
    _t("Spring WebFlux", "framework", maven="org.springframework.boot:spring-boot-starter-webflux org.springframework:spring-webflux"),
    _t("Micronaut", "framework", maven="io.micronaut:* io.micronaut.*:*"),
    _t("Quarkus", "framework", maven="io.quarkus:* io.quarkus.*:*"),
    _t("Dropwizard", "framework", maven="io.dropwizard:*"),
    _t("Vert.x", "framework", maven="io.vertx:*"),
    _t("Javalin", "framework", maven="io.javalin:*"),
    _t("Ktor", "framework", maven="io.ktor:*"),
    _t("Ruby on Rails", "framework", rubygems="rails railties"),
    _t("Sinatra", "framework", rubygems="sinatra sinatra-contrib"),
    _t("Hanami", "framework", rubygems="hanami"),
    _t("Grape", "framework", rubygems="grape"),
    _t("Roda", "framework", rubygems="roda"),
    _t("Laravel", "framework", packagist="laravel/framework"),
    _t("Lumen", "framework", packagist="laravel/lumen-framework"),
    # Laravel apps use many symfony/* components; only the bundle makes a Symfony app
    _t("Symfony", "framework", packagist="symfony/framework-bundle symfony/symfony"),
    _t("Slim", "framework", packagist="slim/slim"),
    _t("CodeIgniter", "framework", packagist="codeigniter4/framework"),
    _t("CakePHP", "framework", packagist="cakephp/cakephp"),
    _t("Yii", "framework", packagist="yiisoft/yii2"),
    _t("API Platform", "framework", packagist="api-platform/core api-platform/symfony api-platform/laravel"),
    # An ASP.NET Core app is often only <Project Sdk="Microsoft.NET.Sdk.Web">: the SDK is read
    # as a package. Not Microsoft.AspNetCore.*: Blazor WebAssembly clients use those too.
    _t("ASP.NET Core", "framework", nuget="Microsoft.NET.Sdk.Web Microsoft.AspNetCore.App Microsoft.AspNetCore.Mvc.* "
       "Microsoft.AspNetCore.Authentication.* Microsoft.AspNetCore.OpenApi Microsoft.AspNetCore.Identity.* "
       "Microsoft.AspNetCore.SignalR.*"),
    _t("FastEndpoints", "framework", nuget="FastEndpoints"),
    _t("Hot Chocolate", "framework", nuget="HotChocolate.AspNetCore"),
    _t("axum", "framework", crates="axum"),
    _t("Actix Web", "framework", crates="actix-web"),
    _t("Rocket", "framework", crates="rocket"),
    _t("warp", "framework", crates="warp"),
    _t("Poem", "framework", crates="poem poem-openapi"),
    _t("Loco", "framework", crates="loco-rs"),
    _t("async-graphql", "framework", crates="async-graphql async-graphql-axum async-graphql-actix-web"),
    # ---- database (named for the server, from drivers, images and env prefixes)
    _t("PostgreSQL", "database", npm="pg postgres pg-promise @neondatabase/serverless @vercel/postgres",
       pypi="psycopg psycopg2 psycopg2-binary psycopg-binary asyncpg pg8000",
       go="github.com/lib/pq github.com/jackc/pgx gorm.io/driver/postgres", maven="org.postgresql:postgresql",
       rubygems="pg", nuget="Npgsql Npgsql.*",
       crates="tokio-postgres postgres deadpool-postgres bb8-postgres sqlx/postgres diesel/postgres sea-orm/sqlx-postgres",
       images="postgres postgis/postgis bitnami/postgresql timescale/timescaledb", env="POSTGRES_ PGHOST"),
    _t("MySQL", "database", npm="mysql mysql2", pypi="mysqlclient pymysql aiomysql mysql-connector-python",
       go="github.com/go-sql-driver/mysql gorm.io/driver/mysql", maven="mysql:mysql-connector-java com.mysql:mysql-connector-j",
       rubygems="mysql2 trilogy", nuget="MySqlConnector MySql.Data Pomelo.EntityFrameworkCore.MySql MySql.EntityFrameworkCore",
       crates="mysql mysql_async sqlx/mysql diesel/mysql sea-orm/sqlx-mysql",
       images="mysql bitnami/mysql", env="MYSQL_"),
    _t("MariaDB", "database", npm="mariadb", pypi="mariadb", maven="org.mariadb.jdbc:mariadb-java-client",
       images="mariadb bitnami/mariadb", env="MARIADB_"),
    _t("SQLite", "database", npm="sqlite3 better-sqlite3 sqlite", pypi="aiosqlite",
       go="github.com/mattn/go-sqlite3 modernc.org/sqlite gorm.io/driver/sqlite github.com/glebarez/sqlite", maven="org.xerial:sqlite-jdbc",
       rubygems="sqlite3", nuget="Microsoft.Data.Sqlite Microsoft.EntityFrameworkCore.Sqlite System.Data.SQLite System.Data.SQLite.*",
       crates="rusqlite sqlx/sqlite diesel/sqlite sea-orm/sqlx-sqlite"),
    _t("H2", "database", maven="com.h2database:h2"),
    _t("MongoDB", "database", npm="mongodb", pypi="pymongo motor", go="go.mongodb.org/mongo-driver",
       maven="org.mongodb:* org.springframework.boot:spring-boot-starter-data-mongodb*",
       rubygems="mongo", packagist="mongodb/mongodb mongodb/laravel-mongodb jenssegers/mongodb",
       nuget="MongoDB.Driver MongoDB.EntityFrameworkCore", crates="mongodb",
       images="mongo bitnami/mongodb", env="MONGO_ MONGODB_"),
    _t("Elasticsearch", "database", npm="@elastic/elasticsearch", pypi="elasticsearch elasticsearch-dsl",
       go="github.com/elastic/go-elasticsearch", maven="co.elastic.clients:* org.elasticsearch.client:*",
       rubygems="elasticsearch elasticsearch-model elasticsearch-rails", packagist="elasticsearch/elasticsearch",
       nuget="Elastic.Clients.Elasticsearch NEST", crates="elasticsearch",
       images="elasticsearch docker.elastic.co/elasticsearch/elasticsearch", env="ELASTICSEARCH_"),
    _t("OpenSearch", "database", npm="@opensearch-project/opensearch", pypi="opensearch-py",
       images="opensearchproject/opensearch"),
    _t("DynamoDB", "database", npm="@aws-sdk/client-dynamodb @aws-sdk/lib-dynamodb dynamoose",
       pypi="pynamodb", images="amazon/dynamodb-local", env="DYNAMODB_", rubygems="aws-sdk-dynamodb",
       nuget="AWSSDK.DynamoDBv2", crates="aws-sdk-dynamodb"),
    _t("Cassandra", "database", npm="cassandra-driver", pypi="cassandra-driver",
       go="github.com/gocql/gocql", maven="com.datastax.oss:*", images="cassandra", nuget="CassandraCSharpDriver"),
    _t("Neo4j", "database", npm="neo4j-driver", pypi="neo4j", go="github.com/neo4j/neo4j-go-driver",
       maven="org.neo4j.driver:*", images="neo4j", env="NEO4J_", nuget="Neo4j.Driver", crates="neo4rs"),
    _t("Microsoft SQL Server", "database", npm="mssql tedious", pypi="pyodbc pymssql",
       go="github.com/microsoft/go-mssqldb github.com/denisenkom/go-mssqldb",
       maven="com.microsoft.sqlserver:mssql-jdbc", images="mcr.microsoft.com/mssql/server",
       rubygems="tiny_tds activerecord-sqlserver-adapter",
       nuget="Microsoft.Data.SqlClient System.Data.SqlClient Microsoft.EntityFrameworkCore.SqlServer", crates="tiberius"),
    _t("Oracle Database", "database", npm="oracledb", pypi="oracledb cx-oracle", maven="com.oracle.database.jdbc:*",
       nuget="Oracle.ManagedDataAccess.Core Oracle.EntityFrameworkCore"),
    _t("ClickHouse", "database", npm="@clickhouse/client", pypi="clickhouse-connect clickhouse-driver",
       go="github.com/ClickHouse/clickhouse-go", images="clickhouse/clickhouse-server yandex/clickhouse-server",
       crates="clickhouse"),
    _t("CockroachDB", "database", images="cockroachdb/cockroach"),
    _t("Firestore", "database", npm="@google-cloud/firestore", pypi="google-cloud-firestore", nuget="Google.Cloud.Firestore"),
    _t("Supabase", "database", npm="@supabase/supabase-js", pypi="supabase", implies="PostgreSQL", env="SUPABASE_"),
    # ---- orm and query layers
    _t("Prisma", "orm", npm="prisma @prisma/client", files="prisma/schema.prisma schema.prisma"),
    _t("TypeORM", "orm", npm="typeorm @nestjs/typeorm"),
    _t("Sequelize", "orm", npm="sequelize sequelize-typescript @nestjs/sequelize"),
    _t("Mongoose", "orm", npm="mongoose @nestjs/mongoose", implies="MongoDB"),
    _t("Drizzle", "orm", npm="drizzle-orm", files="drizzle.config.*"),
    _t("Knex", "orm", npm="knex", files="knexfile.*"),
    _t("MikroORM", "orm", npm="@mikro-orm/core"),
    _t("Objection", "orm", npm="objection"),
    _t("Kysely", "orm", npm="kysely"),
    _t("Bookshelf", "orm", npm="bookshelf"),
    _t("SQLAlchemy", "orm", pypi="sqlalchemy flask-sqlalchemy"),
    _t("SQLModel", "orm", pypi="sqlmodel"),
    _t("Django ORM", "orm", pypi="django"),
    _t("Tortoise ORM", "orm", pypi="tortoise-orm"),
    _t("Peewee", "orm", pypi="peewee"),
    _t("Pony ORM", "orm", pypi="pony"),
    _t("MongoEngine", "orm", pypi="mongoengine flask-mongoengine", implies="MongoDB"),
    _t("Beanie", "orm", pypi="beanie", implies="MongoDB"),
    _t("ODMantic", "orm", pypi="odmantic", implies="MongoDB"),
    _t("Alembic", "orm", pypi="alembic", files="alembic.ini"),
    _t("GORM", "orm", go="gorm.io/gorm github.com/jinzhu/gorm"),
    _t("sqlx", "orm", go="github.com/jmoiron/sqlx"),
    _t("ent", "orm", go="entgo.io/ent"),
    _t("sqlc", "orm", files="sqlc.yaml sqlc.yml sqlc.json"),
    _t("Bun", "orm", go="github.com/uptrace/bun"),
    _t("golang-migrate", "orm", go="github.com/golang-migrate/migrate"),
    _t("Hibernate/JPA", "orm", maven="org.hibernate:* org.hibernate.orm:* jakarta.persistence:* javax.persistence:* org.springframework.boot:spring-boot-starter-data-jpa"),
    _t("MyBatis", "orm", maven="org.mybatis:* org.mybatis.spring.boot:*"),
    _t("jOOQ", "orm", maven="org.jooq:*"),
    _t("Spring Data JDBC", "orm", maven="org.springframework.boot:spring-boot-starter-data-jdbc"),
    _t("Flyway", "orm", maven="org.flywaydb:*"),
    _t("Liquibase", "orm", maven="org.liquibase:*"),
    # Rails brings Active Record as Django brings its ORM; Laravel brings Eloquent
    _t("Active Record", "orm", rubygems="activerecord rails"),
    _t("Mongoid", "orm", rubygems="mongoid", implies="MongoDB"),
    _t("Sequel", "orm", rubygems="sequel"),
    _t("Eloquent", "orm", packagist="illuminate/database laravel/framework laravel/lumen-framework"),
    _t("Doctrine ORM", "orm", packagist="doctrine/orm doctrine/doctrine-bundle"),
    _t("Entity Framework Core", "orm", nuget="Microsoft.EntityFrameworkCore Microsoft.EntityFrameworkCore.* "
       "Npgsql.EntityFrameworkCore.PostgreSQL Pomelo.EntityFrameworkCore.MySql MySql.EntityFrameworkCore "
       "Oracle.EntityFrameworkCore MongoDB.EntityFrameworkCore"),
    _t("Entity Framework 6", "orm", nuget="EntityFramework"),
    _t("Dapper", "orm", nuget="Dapper Dapper.*"),
    _t("NHibernate", "orm", nuget="NHibernate"),
    _t("Diesel", "orm", crates="diesel diesel-async diesel_migrations"),
    _t("SQLx", "orm", crates="sqlx"),
    _t("SeaORM", "orm", crates="sea-orm sea-orm-migration"),
    # ---- validation
    _t("Zod", "validation", npm="zod"),
    _t("Joi", "validation", npm="joi @hapi/joi"),
    _t("Yup", "validation", npm="yup"),
    _t("class-validator", "validation", npm="class-validator"),
    _t("AJV", "validation", npm="ajv"),
    _t("express-validator", "validation", npm="express-validator"),
    _t("Valibot", "validation", npm="valibot"),
    _t("TypeBox", "validation", npm="@sinclair/typebox"),
    _t("celebrate", "validation", npm="celebrate"),
    _t("Pydantic", "validation", pypi="pydantic pydantic-settings"),
    _t("marshmallow", "validation", pypi="marshmallow flask-marshmallow marshmallow-sqlalchemy"),
    _t("Cerberus", "validation", pypi="cerberus"),
    _t("msgspec", "validation", pypi="msgspec"),
    _t("go-playground/validator", "validation", go="github.com/go-playground/validator gopkg.in/go-playground/validator"),
    _t("ozzo-validation", "validation", go="github.com/go-ozzo/ozzo-validation"),
    _t("dry-validation", "validation", rubygems="dry-validation dry-schema"),
    _t("Symfony Validator", "validation", packagist="symfony/validator"),
    _t("Respect\\Validation", "validation", packagist="respect/validation"),
    _t("FluentValidation", "validation", nuget="FluentValidation FluentValidation.*"),
    _t("validator", "validation", crates="validator"),
    _t("garde", "validation", crates="garde"),
    _t("Jakarta Bean Validation", "validation", maven="jakarta.validation:* javax.validation:* org.hibernate.validator:* org.springframework.boot:spring-boot-starter-validation"),
    # ---- logging
    _t("winston", "logging", npm="winston nest-winston express-winston"),
    _t("pino", "logging", npm="pino pino-http nestjs-pino"),
    _t("bunyan", "logging", npm="bunyan"),
    _t("morgan", "logging", npm="morgan"),
    _t("log4js", "logging", npm="log4js"),
    _t("loguru", "logging", pypi="loguru"),
    _t("structlog", "logging", pypi="structlog"),
    _t("python-json-logger", "logging", pypi="python-json-logger"),
    _t("zap", "logging", go="go.uber.org/zap"),
    _t("zerolog", "logging", go="github.com/rs/zerolog"),
    _t("logrus", "logging", go="github.com/sirupsen/logrus"),
    _t("SLF4J", "logging", maven="org.slf4j:*"),
    _t("Logback", "logging", maven="ch.qos.logback:*", files="logback.xml logback-spring.xml"),
    _t("Log4j2", "logging", maven="org.apache.logging.log4j:*", files="log4j2.xml log4j2-spring.xml"),
    _t("Lograge", "logging", rubygems="lograge"),
    _t("Semantic Logger", "logging", rubygems="semantic_logger rails_semantic_logger"),
    _t("Monolog", "logging", packagist="monolog/monolog"),
    _t("Serilog", "logging", nuget="Serilog Serilog.*"),
    _t("NLog", "logging", nuget="NLog NLog.*"),
    _t("log4net", "logging", nuget="log4net"),
    _t("tracing", "logging", crates="tracing tracing-subscriber tracing-actix-web"),
    _t("env_logger", "logging", crates="env_logger"),
    _t("Sentry", "logging", npm="@sentry/node @sentry/nestjs", pypi="sentry-sdk", go="github.com/getsentry/sentry-go",
       maven="io.sentry:*", env="SENTRY_", rubygems="sentry-ruby sentry-rails sentry-raven",
       packagist="sentry/sentry sentry/sentry-laravel sentry/sentry-symfony", nuget="Sentry Sentry.*", crates="sentry"),
    _t("OpenTelemetry", "logging", npm="@opentelemetry/api @opentelemetry/sdk-node",
       pypi="opentelemetry-api opentelemetry-sdk", go="go.opentelemetry.io/otel", maven="io.opentelemetry:*", env="OTEL_",
       rubygems="opentelemetry-sdk opentelemetry-api", packagist="open-telemetry/sdk open-telemetry/api",
       nuget="OpenTelemetry OpenTelemetry.*", crates="opentelemetry opentelemetry_sdk"),
    _t("Prometheus", "logging", npm="prom-client", pypi="prometheus-client prometheus-fastapi-instrumentator",
       go="github.com/prometheus/client_golang", maven="io.micrometer:micrometer-registry-prometheus",
       rubygems="prometheus-client", packagist="promphp/prometheus_client_php", nuget="prometheus-net prometheus-net.*",
       crates="prometheus"),
    # ---- testing
    _t("Jest", "testing", npm="jest ts-jest @jest/globals", files="jest.config.*"),
    _t("Vitest", "testing", npm="vitest", files="vitest.config.*"),
    _t("Mocha", "testing", npm="mocha", files=".mocharc*"),
    _t("Chai", "testing", npm="chai"),
    _t("Supertest", "testing", npm="supertest"),
    _t("AVA", "testing", npm="ava"),
    _t("tap", "testing", npm="tap"),
    _t("Playwright", "testing", npm="@playwright/test", pypi="playwright pytest-playwright", files="playwright.config.*"),
    _t("Cypress", "testing", npm="cypress", files="cypress.config.*"),
    _t("Sinon", "testing", npm="sinon"),
    _t("nock", "testing", npm="nock"),
    _t("pytest", "testing", pypi="pytest pytest-asyncio pytest-django pytest-cov", files="pytest.ini conftest.py"),
    _t("tox", "testing", pypi="tox", files="tox.ini"),
    _t("nox", "testing", pypi="nox", files="noxfile.py"),
    _t("Hypothesis", "testing", pypi="hypothesis"),
    _t("Factory Boy", "testing", pypi="factory-boy"),
    _t("Faker", "testing", npm="@faker-js/faker", pypi="faker", rubygems="faker", packagist="fakerphp/faker fzaninotto/faker"),
    _t("Go testing", "testing", files="*_test.go"),
    _t("testify", "testing", go="github.com/stretchr/testify"),
    _t("GoMock", "testing", go="go.uber.org/mock github.com/golang/mock"),
    _t("Ginkgo", "testing", go="github.com/onsi/ginkgo"),
    _t("JUnit", "testing", maven="org.junit.jupiter:* org.junit:* junit:junit org.springframework.boot:spring-boot-starter-test org.springframework.boot:spring-boot-starter-*-test"),
    _t("Mockito", "testing", maven="org.mockito:*"),
    _t("AssertJ", "testing", maven="org.assertj:*"),
    _t("REST Assured", "testing", maven="io.rest-assured:*"),
    _t("Testcontainers", "testing", npm="testcontainers", pypi="testcontainers",
       go="github.com/testcontainers/testcontainers-go", maven="org.testcontainers:*",
       packagist="testcontainers/testcontainers", nuget="Testcontainers Testcontainers.*", crates="testcontainers"),
    _t("RSpec", "testing", rubygems="rspec rspec-rails rspec-core", files=".rspec", commands="rspec"),
    # Rails' default test framework ships with it: its test/test_helper.rb says it is used
    _t("Minitest", "testing", rubygems="minitest minitest-reporters", files="test/test_helper.rb"),
    _t("Capybara", "testing", rubygems="capybara"),
    _t("factory_bot", "testing", rubygems="factory_bot factory_bot_rails"),
    _t("WebMock", "testing", rubygems="webmock"),
    _t("VCR", "testing", rubygems="vcr"),
    _t("PHPUnit", "testing", packagist="phpunit/phpunit", files="phpunit.xml phpunit.xml.dist", commands="phpunit"),
    _t("Pest", "testing", packagist="pestphp/pest", files="tests/Pest.php", commands="pest"),
    _t("Mockery", "testing", packagist="mockery/mockery"),
    _t("xUnit.net", "testing", nuget="xunit xunit.*"),
    _t("NUnit", "testing", nuget="NUnit NUnit3TestAdapter NUnit.*"),
    _t("MSTest", "testing", nuget="MSTest MSTest.*"),
    _t("Moq", "testing", nuget="Moq"),
    _t("NSubstitute", "testing", nuget="NSubstitute"),
    _t("Fluent Assertions", "testing", nuget="FluentAssertions"),
    # Rust's test harness is built in: integration tests in tests/, or CI running cargo test
    _t("cargo test", "testing", files="tests/*.rs", commands="cargo-test"),
    _t("mockall", "testing", crates="mockall"),
    # ---- linting, formatting, type checking
    _t("ESLint", "linting", npm="eslint", files=".eslintrc .eslintrc.* eslint.config.*", commands="eslint"),
    _t("Biome", "linting", npm="@biomejs/biome", files="biome.json biome.jsonc"),
    _t("oxlint", "linting", npm="oxlint"),
    _t("TSLint", "linting", npm="tslint", files="tslint.json"),
    _t("Ruff", "linting", pypi="ruff", files="ruff.toml .ruff.toml", commands="ruff"),
    _t("Flake8", "linting", pypi="flake8", files=".flake8", commands="flake8"),
    _t("Pylint", "linting", pypi="pylint", files=".pylintrc pylintrc", commands="pylint"),
    _t("Bandit", "linting", pypi="bandit", commands="bandit"),
    _t("pre-commit", "linting", pypi="pre-commit", files=".pre-commit-config.yaml"),
    _t("golangci-lint", "linting", files=".golangci.yml .golangci.yaml .golangci.toml", commands="golangci-lint"),
    _t("go vet", "linting", commands="go-vet"),
    _t("staticcheck", "linting", go="honnef.co/go/tools", commands="staticcheck"),
    _t("Checkstyle", "linting", maven="com.puppycrawl.tools:checkstyle org.apache.maven.plugins:maven-checkstyle-plugin",
       files="checkstyle.xml config/checkstyle/checkstyle.xml", commands="checkstyle"),
    _t("SpotBugs", "linting", maven="com.github.spotbugs:*"),
    _t("PMD", "linting", maven="org.apache.maven.plugins:maven-pmd-plugin"),
    _t("RuboCop", "linting", rubygems="rubocop rubocop-rails rubocop-rspec rubocop-performance rubocop-rails-omakase",
       files=".rubocop.yml", commands="rubocop"),
    _t("Standard Ruby", "linting", rubygems="standard standard-rails", files=".standard.yml", commands="standardrb"),
    _t("Brakeman", "linting", rubygems="brakeman", commands="brakeman"),
    _t("PHPStan", "linting", packagist="phpstan/phpstan larastan/larastan nunomaduro/larastan",
       files="phpstan.neon phpstan.neon.dist phpstan.dist.neon", commands="phpstan"),
    _t("Psalm", "linting", packagist="vimeo/psalm", files="psalm.xml psalm.xml.dist", commands="psalm"),
    _t("PHP_CodeSniffer", "linting", packagist="squizlabs/php_codesniffer",
       files="phpcs.xml phpcs.xml.dist .phpcs.xml .phpcs.xml.dist", commands="phpcs"),
    _t("StyleCop Analyzers", "linting", nuget="StyleCop.Analyzers StyleCop.Analyzers.*", files="stylecop.json"),
    _t("Roslynator", "linting", nuget="Roslynator.Analyzers"),
    _t("Clippy", "linting", files="clippy.toml .clippy.toml", commands="cargo-clippy"),
    _t("Prettier", "formatting", npm="prettier", files=".prettierrc .prettierrc.* prettier.config.*", commands="prettier"),
    _t("Black", "formatting", pypi="black", commands="black"),
    _t("isort", "formatting", pypi="isort", files=".isort.cfg", commands="isort"),
    _t("autopep8", "formatting", pypi="autopep8"),
    _t("gofmt", "formatting", commands="gofmt"),
    _t("goimports", "formatting", commands="goimports"),
    _t("Spotless", "formatting", maven="com.diffplug.spotless:*"),
    _t("EditorConfig", "formatting", files=".editorconfig"),
    _t("PHP CS Fixer", "formatting", packagist="friendsofphp/php-cs-fixer",
       files=".php-cs-fixer.php .php-cs-fixer.dist.php .php_cs .php_cs.dist", commands="php-cs-fixer"),
    _t("Laravel Pint", "formatting", packagist="laravel/pint", files="pint.json", commands="pint"),
    _t("dotnet format", "formatting", commands="dotnet-format"),
    _t("CSharpier", "formatting", nuget="CSharpier.MsBuild", files=".csharpierrc .csharpierrc.json .csharpierrc.yaml"),
    _t("rustfmt", "formatting", files="rustfmt.toml .rustfmt.toml", commands="cargo-fmt rustfmt"),
    _t("TypeScript", "type_checking", npm="typescript", files="tsconfig.json"),
    _t("mypy", "type_checking", pypi="mypy", files="mypy.ini .mypy.ini", commands="mypy"),
    _t("Sorbet", "type_checking", rubygems="sorbet sorbet-runtime sorbet-static", files="sorbet/config"),
    _t("pyright", "type_checking", npm="pyright", pypi="pyright", files="pyrightconfig.json", commands="pyright"),
    # ---- cache
    _t("Redis", "cache", npm="redis ioredis @upstash/redis", pypi="redis aioredis",
       go="github.com/redis/go-redis github.com/go-redis/redis github.com/gomodule/redigo",
       maven="redis.clients:jedis io.lettuce:lettuce-core org.springframework.boot:spring-boot-starter-data-redis",
       images="redis bitnami/redis redis/redis-stack", env="REDIS_", rubygems="redis redis-client hiredis kredis",
       packagist="predis/predis", nuget="StackExchange.Redis Microsoft.Extensions.Caching.StackExchangeRedis",
       crates="redis deadpool-redis bb8-redis fred"),
    _t("Memcached", "cache", npm="memcached", pypi="pymemcache python-memcached",
       go="github.com/bradfitz/gomemcache", images="memcached", env="MEMCACHED_", rubygems="dalli",
       nuget="EnyimMemcachedCore", crates="memcache"),
    _t("node-cache", "cache", npm="node-cache"),
    _t("cache-manager", "cache", npm="cache-manager @nestjs/cache-manager"),
    _t("django-redis", "cache", pypi="django-redis", implies="Redis"),
    _t("Flask-Caching", "cache", pypi="flask-caching"),
    _t("Caffeine", "cache", maven="com.github.ben-manes.caffeine:*"),
    _t("Ehcache", "cache", maven="org.ehcache:* net.sf.ehcache:*"),
    _t("Spring Cache", "cache", maven="org.springframework.boot:spring-boot-starter-cache"),
    _t("Solid Cache", "cache", rubygems="solid_cache"),
    _t("FusionCache", "cache", nuget="ZiggyCreatures.FusionCache"),
    _t("Moka", "cache", crates="moka"),
    # ---- queue
    _t("BullMQ", "queue", npm="bullmq @nestjs/bullmq", implies="Redis"),
    _t("Bull", "queue", npm="bull @nestjs/bull", implies="Redis"),
    _t("Agenda", "queue", npm="agenda"),
    _t("RabbitMQ", "queue", npm="amqplib amqp-connection-manager", pypi="pika aio-pika",
       go="github.com/streadway/amqp github.com/rabbitmq/amqp091-go",
       maven="com.rabbitmq:amqp-client org.springframework.boot:spring-boot-starter-amqp",
       rubygems="bunny sneakers", packagist="php-amqplib/php-amqplib", nuget="RabbitMQ.Client", crates="lapin amqprs",
       images="rabbitmq bitnami/rabbitmq", env="RABBITMQ_ AMQP_"),
    _t("Kafka", "queue", npm="kafkajs", pypi="kafka-python confluent-kafka aiokafka",
       go="github.com/segmentio/kafka-go github.com/confluentinc/confluent-kafka-go github.com/IBM/sarama github.com/Shopify/sarama",
       maven="org.apache.kafka:* org.springframework.kafka:*", rubygems="ruby-kafka rdkafka karafka",
       nuget="Confluent.Kafka", crates="rdkafka",
       images="confluentinc/cp-kafka bitnami/kafka apache/kafka wurstmeister/kafka", env="KAFKA_"),
    _t("Amazon SQS", "queue", npm="@aws-sdk/client-sqs sqs-consumer", go="github.com/aws/aws-sdk-go-v2/service/sqs",
       maven="software.amazon.awssdk:sqs", env="SQS_", rubygems="aws-sdk-sqs shoryuken", nuget="AWSSDK.SQS",
       crates="aws-sdk-sqs"),
    _t("NATS", "queue", npm="nats", pypi="nats-py", go="github.com/nats-io/nats.go", images="nats", env="NATS_",
       rubygems="nats-pure", nuget="NATS.Net NATS.Client", crates="async-nats nats"),
    _t("Google Pub/Sub", "queue", npm="@google-cloud/pubsub", pypi="google-cloud-pubsub", go="cloud.google.com/go/pubsub",
       rubygems="google-cloud-pubsub", nuget="Google.Cloud.PubSub.V1"),
    _t("Celery", "queue", pypi="celery", files="celeryconfig.py", commands="celery", env="CELERY_"),
    _t("RQ", "queue", pypi="rq"),
    _t("Dramatiq", "queue", pypi="dramatiq"),
    _t("Huey", "queue", pypi="huey"),
    _t("arq", "queue", pypi="arq"),
    _t("Kombu", "queue", pypi="kombu"),
    _t("Asynq", "queue", go="github.com/hibiken/asynq", implies="Redis"),
    _t("Sidekiq", "queue", rubygems="sidekiq sidekiq-pro sidekiq-ent sidekiq-cron sidekiq-scheduler", implies="Redis"),
    _t("Resque", "queue", rubygems="resque", implies="Redis"),
    _t("GoodJob", "queue", rubygems="good_job", implies="PostgreSQL"),
    _t("Solid Queue", "queue", rubygems="solid_queue"),
    _t("Delayed Job", "queue", rubygems="delayed_job delayed_job_active_record"),
    # Laravel's own queues need no package; Horizon is its Redis queue dashboard and workers
    _t("Laravel Horizon", "queue", packagist="laravel/horizon", implies="Redis"),
    _t("Hangfire", "queue", nuget="Hangfire Hangfire.*"),
    _t("MassTransit", "queue", nuget="MassTransit MassTransit.*"),
    # ---- auth
    _t("Passport", "auth", npm="passport @nestjs/passport"),
    _t("jsonwebtoken", "auth", npm="jsonwebtoken @nestjs/jwt", crates="jsonwebtoken"),
    _t("express-jwt", "auth", npm="express-jwt"),
    _t("jose", "auth", npm="jose"),
    _t("express-session", "auth", npm="express-session"),
    _t("bcrypt", "auth", npm="bcrypt bcryptjs", pypi="bcrypt", rubygems="bcrypt", nuget="BCrypt.Net-Next", crates="bcrypt"),
    _t("Argon2", "auth", npm="argon2", pypi="argon2-cffi", crates="argon2 rust-argon2"),
    _t("NextAuth.js", "auth", npm="next-auth @auth/core"),
    _t("Auth0", "auth", npm="express-openid-connect auth0 @auth0/nextjs-auth0", pypi="auth0-python", env="AUTH0_"),
    _t("Firebase Authentication", "auth", npm="firebase-admin", pypi="firebase-admin"),
    _t("Keycloak", "auth", npm="keycloak-connect", images="quay.io/keycloak/keycloak jboss/keycloak", env="KEYCLOAK_"),
    _t("PyJWT", "auth", pypi="pyjwt"),
    _t("python-jose", "auth", pypi="python-jose"),
    _t("Authlib", "auth", pypi="authlib"),
    _t("passlib", "auth", pypi="passlib"),
    _t("pwdlib", "auth", pypi="pwdlib"),
    _t("Flask-Login", "auth", pypi="flask-login"),
    _t("Flask-JWT-Extended", "auth", pypi="flask-jwt-extended"),
    _t("django-allauth", "auth", pypi="django-allauth"),
    _t("Simple JWT", "auth", pypi="djangorestframework-simplejwt"),
    _t("FastAPI Users", "auth", pypi="fastapi-users"),
    _t("golang-jwt", "auth", go="github.com/golang-jwt/jwt github.com/dgrijalva/jwt-go"),
    _t("jwtauth", "auth", go="github.com/go-chi/jwtauth"),
    _t("jwx", "auth", go="github.com/lestrrat-go/jwx"),
    _t("gin-jwt", "auth", go="github.com/appleboy/gin-jwt"),
    _t("echo-jwt", "auth", go="github.com/labstack/echo-jwt"),
    _t("Gorilla Sessions", "auth", go="github.com/gorilla/sessions"),
    _t("SCS", "auth", go="github.com/alexedwards/scs"),
    _t("Goth", "auth", go="github.com/markbates/goth"),
    _t("go-oidc", "auth", go="github.com/coreos/go-oidc"),
    _t("Go OAuth2", "auth", go="golang.org/x/oauth2"),
    _t("Fastify JWT", "auth", npm="@fastify/jwt fastify-jwt"),
    _t("koa-jwt", "auth", npm="koa-jwt"),
    _t("passport-jwt", "auth", npm="passport-jwt"),
    _t("Fastify Session", "auth", npm="@fastify/session @fastify/secure-session"),
    _t("koa-session", "auth", npm="koa-session"),
    _t("cookie-session", "auth", npm="cookie-session"),
    _t("openid-client", "auth", npm="openid-client"),
    _t("Django OAuth Toolkit", "auth", pypi="django-oauth-toolkit"),
    _t("Flask-HTTPAuth", "auth", pypi="flask-httpauth"),
    _t("java-jwt", "auth", maven="com.auth0:java-jwt"),
    _t("Casbin", "auth", go="github.com/casbin/casbin", pypi="casbin", npm="casbin", packagist="casbin/casbin",
       nuget="Casbin.NET", crates="casbin"),
    _t("Spring Security", "auth", maven="org.springframework.security:* org.springframework.boot:spring-boot-starter-security"),
    _t("JJWT", "auth", maven="io.jsonwebtoken:*"),
    _t("Devise", "auth", rubygems="devise devise_token_auth"),
    _t("devise-jwt", "auth", rubygems="devise-jwt"),
    _t("ruby-jwt", "auth", rubygems="jwt"),
    _t("OmniAuth", "auth", rubygems="omniauth omniauth-oauth2 omniauth-rails_csrf_protection omniauth-google-oauth2 omniauth-github"),
    _t("Doorkeeper", "auth", rubygems="doorkeeper"),
    _t("Rodauth", "auth", rubygems="rodauth rodauth-rails"),
    _t("Pundit", "auth", rubygems="pundit"),
    _t("CanCanCan", "auth", rubygems="cancancan"),
    _t("Laravel Sanctum", "auth", packagist="laravel/sanctum"),
    _t("Laravel Passport", "auth", packagist="laravel/passport"),
    _t("Laravel Fortify", "auth", packagist="laravel/fortify"),
    _t("Laravel Socialite", "auth", packagist="laravel/socialite"),
    _t("jwt-auth", "auth", packagist="tymon/jwt-auth php-open-source-saver/jwt-auth"),
    _t("PHP-JWT", "auth", packagist="firebase/php-jwt"),
    _t("Symfony Security", "auth", packagist="symfony/security-bundle"),
    _t("LexikJWTAuthenticationBundle", "auth", packagist="lexik/jwt-authentication-bundle"),
    _t("ASP.NET Core Identity", "auth", nuget="Microsoft.AspNetCore.Identity.EntityFrameworkCore Microsoft.AspNetCore.Identity "
       "Microsoft.AspNetCore.Identity.* Microsoft.Extensions.Identity.*"),
    _t("JwtBearer", "auth", nuget="Microsoft.AspNetCore.Authentication.JwtBearer"),
    _t("Microsoft Identity Web", "auth", nuget="Microsoft.Identity.Web Microsoft.Identity.Web.*"),
    _t("Duende IdentityServer", "auth", nuget="Duende.IdentityServer Duende.IdentityServer.*"),
    _t("OpenIddict", "auth", nuget="OpenIddict OpenIddict.*"),
    _t("axum-login", "auth", crates="axum-login"),
    _t("tower-sessions", "auth", crates="tower-sessions"),
    _t("actix-identity", "auth", crates="actix-identity"),
    _t("actix-session", "auth", crates="actix-session"),
    _t("actix-web-httpauth", "auth", crates="actix-web-httpauth"),
    _t("rust-jwt", "auth", crates="jwt"),
    # ---- http clients
    _t("Axios", "http_client", npm="axios @nestjs/axios"),
    _t("node-fetch", "http_client", npm="node-fetch"),
    _t("got", "http_client", npm="got"),
    _t("undici", "http_client", npm="undici"),
    _t("superagent", "http_client", npm="superagent"),
    _t("Requests", "http_client", pypi="requests"),
    _t("HTTPX", "http_client", pypi="httpx"),
    _t("Resty", "http_client", go="github.com/go-resty/resty"),
    _t("OpenFeign", "http_client", maven="org.springframework.cloud:spring-cloud-starter-openfeign io.github.openfeign:*"),
    _t("OkHttp", "http_client", maven="com.squareup.okhttp3:*"),
    _t("Retrofit", "http_client", maven="com.squareup.retrofit2:*"),
    _t("Faraday", "http_client", rubygems="faraday"),
    _t("HTTParty", "http_client", rubygems="httparty"),
    _t("Guzzle", "http_client", packagist="guzzlehttp/guzzle"),
    _t("RestSharp", "http_client", nuget="RestSharp"),
    _t("Refit", "http_client", nuget="Refit Refit.*"),
    _t("reqwest", "http_client", crates="reqwest"),
    _t("Apache HttpClient", "http_client", maven="org.apache.httpcomponents:* org.apache.httpcomponents.client5:*"),
    # ---- api docs
    _t("Swagger UI", "api_docs", npm="swagger-ui-express @fastify/swagger-ui"),
    _t("swagger-jsdoc", "api_docs", npm="swagger-jsdoc"),
    _t("NestJS Swagger", "api_docs", npm="@nestjs/swagger"),
    _t("Fastify Swagger", "api_docs", npm="@fastify/swagger"),
    _t("tsoa", "api_docs", npm="tsoa"),
    _t("drf-spectacular", "api_docs", pypi="drf-spectacular"),
    _t("drf-yasg", "api_docs", pypi="drf-yasg"),
    _t("flasgger", "api_docs", pypi="flasgger"),
    _t("apispec", "api_docs", pypi="apispec"),
    _t("swag", "api_docs", go="github.com/swaggo/swag github.com/swaggo/gin-swagger github.com/swaggo/echo-swagger"),
    _t("springdoc-openapi", "api_docs", maven="org.springdoc:*"),
    _t("Springfox", "api_docs", maven="io.springfox:*"),
    _t("rswag", "api_docs", rubygems="rswag rswag-api rswag-ui rswag-specs"),
    _t("L5-Swagger", "api_docs", packagist="darkaonline/l5-swagger"),
    _t("swagger-php", "api_docs", packagist="zircote/swagger-php"),
    _t("Scramble", "api_docs", packagist="dedoc/scramble"),
    _t("NelmioApiDocBundle", "api_docs", packagist="nelmio/api-doc-bundle"),
    _t("Swashbuckle", "api_docs", nuget="Swashbuckle.AspNetCore Swashbuckle.AspNetCore.*"),
    _t("NSwag", "api_docs", nuget="NSwag.AspNetCore NSwag.*"),
    _t("utoipa", "api_docs", crates="utoipa utoipa-swagger-ui"),
    _t("aide", "api_docs", crates="aide"),
    _t("OpenAPI", "api_docs", files="openapi.yaml openapi.yml openapi.json swagger.yaml swagger.yml swagger.json"),
    # ---- container and deployment
    _t("Docker", "container", files="Dockerfile Dockerfile.* *.Dockerfile *.dockerfile"),
    _t("Docker Compose", "container", files="docker-compose.yml docker-compose.yaml compose.yml compose.yaml docker-compose.*.yml docker-compose.*.yaml"),
    _t("Kubernetes", "container", files="k8s/*.yaml k8s/*.yml kubernetes/*.yaml kubernetes/*.yml deploy/k8s/*.yaml kustomization.yaml kustomization.yml"),
    _t("Helm", "container", files="Chart.yaml"),
    _t("Skaffold", "container", files="skaffold.yaml"),
    _t("Serverless Framework", "container", npm="serverless", files="serverless.yml serverless.yaml serverless.ts"),
    _t("AWS SAM", "container", files="template.yaml samconfig.toml"),
    _t("Terraform", "container", files="*.tf"),
    _t("Fly.io", "container", files="fly.toml"),
    _t("Heroku", "container", files="heroku.yml"),
    _t("Vercel", "container", files="vercel.json"),
    # ---- ci
    _t("GitHub Actions", "ci", files=".github/workflows/*.yml .github/workflows/*.yaml"),
    _t("GitLab CI", "ci", files=".gitlab-ci.yml"),
    _t("CircleCI", "ci", files=".circleci/config.yml"),
    _t("Jenkins", "ci", files="Jenkinsfile"),
    _t("Travis CI", "ci", files=".travis.yml"),
    _t("Azure Pipelines", "ci", files="azure-pipelines.yml"),
    _t("Bitbucket Pipelines", "ci", files="bitbucket-pipelines.yml"),
    _t("Drone", "ci", files=".drone.yml"),
    _t("Buildkite", "ci", files=".buildkite/pipeline.yml"),
)
# fmt: on

BY_NAME = {tech.name: tech for tech in TECHNOLOGIES}


def crate_key(name: str) -> str:
    """crates.io treats ``-`` and ``_`` in a name as the same (``env_logger``, ``env-logger``)."""
    return name.lower().replace("_", "-")


_GO_VERSION_SUFFIX = re.compile(r"/v\d+$")


def _index(ecosystem: str) -> dict[str, tuple[Tech, ...]]:
    index: dict[str, list[Tech]] = {}
    for tech in TECHNOLOGIES:
        for package in getattr(tech, ecosystem):
            index.setdefault(package.lower(), []).append(tech)
    return {k: tuple(v) for k, v in index.items()}


_NPM = _index("npm")
_PYPI = _index("pypi")
_GO = _index("go")
_MAVEN_PATTERNS = tuple((pattern, tech) for tech in TECHNOLOGIES for pattern in tech.maven)
_RUBYGEMS = _index("rubygems")
_PACKAGIST = _index("packagist")
_NUGET_PATTERNS = tuple((pattern.lower(), tech) for tech in TECHNOLOGIES for pattern in tech.nuget)
_CRATES = {crate_key(name): techs for name, techs in _index("crates").items()}
_IMAGES = _index("images")


def lookup(ecosystem: str, package: str) -> tuple[Tech, ...]:
    """The technologies a package of ``ecosystem`` reveals."""
    name = package.lower()
    if ecosystem == "npm":
        return _NPM.get(name, ())
    if ecosystem == "pypi":
        return _PYPI.get(name, ())
    if ecosystem == "go":
        # Module paths carry major versions (/v5) and subpackages (.../service/sqs).
        path = _GO_VERSION_SUFFIX.sub("", name)
        while path:
            if path in _GO:
                return _GO[path]
            path = path.rpartition("/")[0]
        return ()
    if ecosystem == "maven":
        return tuple(t for p, t in _MAVEN_PATTERNS if fnmatch.fnmatchcase(name, p.lower()))
    if ecosystem == "rubygems":
        return _RUBYGEMS.get(name, ())
    if ecosystem == "packagist":
        return _PACKAGIST.get(name, ())
    if ecosystem == "nuget":
        return tuple(dict.fromkeys(t for p, t in _NUGET_PATTERNS if fnmatch.fnmatchcase(name, p)))
    if ecosystem == "crates":
        return _CRATES.get(crate_key(name), ())
    return ()


def lookup_image(image: str) -> tuple[Tech, ...]:
    """Technologies a container image reference (``postgres:16-alpine``) reveals."""
    name = image.split("@")[0]
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name = name[: len(name) - len(last)] + last.split(":")[0]
    name = name.lower().removeprefix("docker.io/").removeprefix("library/")
    return _IMAGES.get(name, ())

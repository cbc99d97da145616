"""Technology rules as data: one row per technology.

A row names the technology as its own documentation writes it, its spec category, the
package names that reveal it per ecosystem, and marker files (fnmatch patterns on the
repository path) that reveal it without a dependency. ``implies`` names technologies a
row brings with it (Mongoose means MongoDB).
"""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = (
    "runtime",
    "framework",
    "database",
    "orm",
    "validation",
    "logging",
    "testing",
    "linting",
    "formatting",
    "type_checking",
    "cache",
    "queue",
    "auth",
    "http_client",
    "api_docs",
    "container",
    "ci",
)
# Categories a development-only dependency may establish; a dev dependency on, say, a web
# framework (used by a build script or a test) is not the project's framework.
DEV_CATEGORIES = frozenset({"testing", "linting", "formatting", "type_checking", "api_docs"})


@dataclass(frozen=True)
class Tech:
    name: str
    category: str
    npm: tuple[str, ...] = ()
    pypi: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    implies: tuple[str, ...] = ()
    server: bool = False
    """Named for a server reached through a client package: the package's version is the
    client's, not the server's, so no version is reported."""


_SERVER_CATEGORIES = frozenset({"database"})
_SERVERS = frozenset({"Redis", "Memcached", "RabbitMQ", "Kafka", "Amazon SQS", "NATS"})


def _t(
    name: str, category: str, npm: str = "", pypi: str = "", files: str = "", implies: str = ""
) -> Tech:
    return Tech(
        name,
        category,
        tuple(npm.split()),
        tuple(pypi.split()),
        tuple(files.split()),
        tuple(i for i in implies.split(",") if i),
        server=category in _SERVER_CATEGORIES or name in _SERVERS,
    )


TECHNOLOGIES: tuple[Tech, ...] = (
    # framework
    _t("Express", "framework", npm="express"),
    _t("NestJS", "framework", npm="@nestjs/core", files="nest-cli.json"),
    _t("Fastify", "framework", npm="fastify"),
    _t("Koa", "framework", npm="koa"),
    _t("Hono", "framework", npm="hono"),
    _t("Hapi", "framework", npm="@hapi/hapi"),
    _t("Next.js", "framework", npm="next"),
    _t("Restify", "framework", npm="restify"),
    _t("AdonisJS", "framework", npm="@adonisjs/core"),
    _t("Apollo Server", "framework", npm="apollo-server @apollo/server apollo-server-express"),
    _t("tRPC", "framework", npm="@trpc/server"),
    _t("FastAPI", "framework", pypi="fastapi"),
    _t("Django", "framework", pypi="django", files="manage.py"),
    _t("Django REST framework", "framework", pypi="djangorestframework"),
    _t("Flask", "framework", pypi="flask"),
    _t("Starlette", "framework", pypi="starlette"),
    _t("aiohttp", "framework", pypi="aiohttp"),
    _t("Sanic", "framework", pypi="sanic"),
    _t("Tornado", "framework", pypi="tornado"),
    _t("Litestar", "framework", pypi="litestar"),
    _t("Falcon", "framework", pypi="falcon"),
    _t("Pyramid", "framework", pypi="pyramid"),
    _t("Quart", "framework", pypi="quart"),
    _t("Strawberry", "framework", pypi="strawberry-graphql"),
    _t("Graphene", "framework", pypi="graphene"),
    # database (named for the server, from its drivers)
    _t(
        "PostgreSQL",
        "database",
        npm="pg postgres pg-promise @neondatabase/serverless",
        pypi="psycopg psycopg2 psycopg2-binary psycopg-binary asyncpg pg8000",
    ),
    _t(
        "MySQL",
        "database",
        npm="mysql mysql2",
        pypi="mysqlclient pymysql aiomysql mysql-connector-python",
    ),
    _t("MariaDB", "database", npm="mariadb", pypi="mariadb"),
    _t("SQLite", "database", npm="sqlite3 better-sqlite3 sqlite", pypi="aiosqlite"),
    _t("MongoDB", "database", npm="mongodb", pypi="pymongo motor"),
    _t("Redis", "cache", npm="redis ioredis @upstash/redis", pypi="redis aioredis"),
    _t("Memcached", "cache", npm="memcached", pypi="pymemcache python-memcached"),
    _t("Elasticsearch", "database", npm="@elastic/elasticsearch", pypi="elasticsearch"),
    _t(
        "DynamoDB",
        "database",
        npm="@aws-sdk/client-dynamodb @aws-sdk/lib-dynamodb dynamoose",
        pypi="pynamodb",
    ),
    _t("Cassandra", "database", npm="cassandra-driver", pypi="cassandra-driver"),
    _t("Neo4j", "database", npm="neo4j-driver", pypi="neo4j"),
    _t("Microsoft SQL Server", "database", npm="mssql tedious", pypi="pyodbc pymssql"),
    _t("Oracle Database", "database", npm="oracledb", pypi="oracledb cx-oracle"),
    _t(
        "ClickHouse",
        "database",
        npm="@clickhouse/client",
        pypi="clickhouse-connect clickhouse-driver",
    ),
    _t("Firestore", "database", npm="@google-cloud/firestore", pypi="google-cloud-firestore"),
    _t("Supabase", "database", npm="@supabase/supabase-js", pypi="supabase", implies="PostgreSQL"),
    # orm
    _t("Prisma", "orm", npm="prisma @prisma/client", files="prisma/schema.prisma schema.prisma"),
    _t("TypeORM", "orm", npm="typeorm @nestjs/typeorm"),
    _t("Sequelize", "orm", npm="sequelize sequelize-typescript @nestjs/sequelize"),
    _t("Mongoose", "orm", npm="mongoose @nestjs/mongoose", implies="MongoDB"),
    _t("Drizzle", "orm", npm="drizzle-orm"),
    _t("Knex", "orm", npm="knex"),
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
    _t("Alembic", "orm", pypi="alembic", files="alembic.ini"),
    # validation
    _t("Zod", "validation", npm="zod"),
    _t("Joi", "validation", npm="joi @hapi/joi"),
    _t("Yup", "validation", npm="yup"),
    _t("class-validator", "validation", npm="class-validator"),
    _t("AJV", "validation", npm="ajv"),
    _t("express-validator", "validation", npm="express-validator"),
    _t("Valibot", "validation", npm="valibot"),
    _t("TypeBox", "validation", npm="@sinclair/typebox"),
    _t("Pydantic", "validation", pypi="pydantic pydantic-settings"),
    _t("marshmallow", "validation", pypi="marshmallow flask-marshmallow"),
    _t("Cerberus", "validation", pypi="cerberus"),
    _t("attrs", "validation", pypi="attrs"),
    # logging
    _t("winston", "logging", npm="winston nest-winston"),
    _t("pino", "logging", npm="pino pino-http nestjs-pino"),
    _t("bunyan", "logging", npm="bunyan"),
    _t("morgan", "logging", npm="morgan"),
    _t("log4js", "logging", npm="log4js"),
    _t("loguru", "logging", pypi="loguru"),
    _t("structlog", "logging", pypi="structlog"),
    _t("python-json-logger", "logging", pypi="python-json-logger"),
    _t("Sentry", "logging", npm="@sentry/node @sentry/nestjs", pypi="sentry-sdk"),
    # testing
    _t("Jest", "testing", npm="jest ts-jest @jest/globals", files="jest.config.*"),
    _t("Vitest", "testing", npm="vitest", files="vitest.config.*"),
    _t("Mocha", "testing", npm="mocha", files=".mocharc*"),
    _t("Chai", "testing", npm="chai"),
    _t("Supertest", "testing", npm="supertest"),
    _t("AVA", "testing", npm="ava"),
    _t("tap", "testing", npm="tap"),
    _t("Playwright", "testing", npm="@playwright/test", pypi="playwright"),
    _t("Cypress", "testing", npm="cypress"),
    _t("Sinon", "testing", npm="sinon"),
    _t("nock", "testing", npm="nock"),
    _t(
        "pytest",
        "testing",
        pypi="pytest pytest-asyncio pytest-django",
        files="pytest.ini conftest.py",
    ),
    _t("unittest", "testing"),
    _t("tox", "testing", pypi="tox", files="tox.ini"),
    _t("nox", "testing", pypi="nox", files="noxfile.py"),
    _t("Hypothesis", "testing", pypi="hypothesis"),
    _t("Factory Boy", "testing", pypi="factory-boy"),
    _t("Testcontainers", "testing", npm="testcontainers", pypi="testcontainers"),
    _t("HTTPX", "http_client", pypi="httpx"),
    # linting, formatting, type checking
    _t("ESLint", "linting", npm="eslint", files=".eslintrc .eslintrc.* eslint.config.*"),
    _t("Biome", "linting", npm="@biomejs/biome", files="biome.json biome.jsonc"),
    _t("oxlint", "linting", npm="oxlint"),
    _t("TSLint", "linting", npm="tslint", files="tslint.json"),
    _t(
        "Prettier",
        "formatting",
        npm="prettier",
        files=".prettierrc .prettierrc.* prettier.config.*",
    ),
    _t("Ruff", "linting", pypi="ruff", files="ruff.toml .ruff.toml"),
    _t("Flake8", "linting", pypi="flake8", files=".flake8"),
    _t("Pylint", "linting", pypi="pylint", files=".pylintrc pylintrc"),
    _t("Bandit", "linting", pypi="bandit"),
    _t("pre-commit", "linting", pypi="pre-commit", files=".pre-commit-config.yaml"),
    _t("Black", "formatting", pypi="black"),
    _t("isort", "formatting", pypi="isort", files=".isort.cfg"),
    _t("autopep8", "formatting", pypi="autopep8"),
    _t("EditorConfig", "formatting", files=".editorconfig"),
    _t("TypeScript", "type_checking", npm="typescript", files="tsconfig.json"),
    _t("mypy", "type_checking", pypi="mypy", files="mypy.ini .mypy.ini"),
    _t("pyright", "type_checking", npm="pyright", pypi="pyright", files="pyrightconfig.json"),
    # cache, queue
    _t("node-cache", "cache", npm="node-cache"),
    _t("cache-manager", "cache", npm="cache-manager @nestjs/cache-manager"),
    _t("django-redis", "cache", pypi="django-redis", implies="Redis"),
    _t("Flask-Caching", "cache", pypi="flask-caching"),
    _t("BullMQ", "queue", npm="bullmq @nestjs/bullmq", implies="Redis"),
    _t("Bull", "queue", npm="bull @nestjs/bull", implies="Redis"),
    _t("Agenda", "queue", npm="agenda"),
    _t("RabbitMQ", "queue", npm="amqplib amqp-connection-manager", pypi="pika aio-pika kombu"),
    _t("Kafka", "queue", npm="kafkajs", pypi="kafka-python confluent-kafka aiokafka"),
    _t("Amazon SQS", "queue", npm="@aws-sdk/client-sqs sqs-consumer", pypi="boto3-sqs"),
    _t("NATS", "queue", npm="nats", pypi="nats-py"),
    _t("Celery", "queue", pypi="celery", files="celeryconfig.py"),
    _t("RQ", "queue", pypi="rq"),
    _t("Dramatiq", "queue", pypi="dramatiq"),
    _t("Huey", "queue", pypi="huey"),
    _t("arq", "queue", pypi="arq"),
    # auth
    _t("Passport", "auth", npm="passport @nestjs/passport"),
    _t("jsonwebtoken", "auth", npm="jsonwebtoken @nestjs/jwt"),
    _t("jose", "auth", npm="jose"),
    _t("express-session", "auth", npm="express-session"),
    _t("bcrypt", "auth", npm="bcrypt bcryptjs", pypi="bcrypt"),
    _t("Argon2", "auth", npm="argon2", pypi="argon2-cffi"),
    _t("NextAuth.js", "auth", npm="next-auth @auth/core"),
    _t(
        "Auth0", "auth", npm="express-openid-connect auth0 @auth0/nextjs-auth0", pypi="auth0-python"
    ),
    _t("express-jwt", "auth", npm="express-jwt"),
    _t("Firebase Authentication", "auth", npm="firebase-admin", pypi="firebase-admin"),
    _t("PyJWT", "auth", pypi="pyjwt"),
    _t("python-jose", "auth", pypi="python-jose"),
    _t("Authlib", "auth", pypi="authlib"),
    _t("passlib", "auth", pypi="passlib"),
    _t("Flask-Login", "auth", pypi="flask-login"),
    _t("Flask-JWT-Extended", "auth", pypi="flask-jwt-extended"),
    _t("django-allauth", "auth", pypi="django-allauth"),
    _t("Simple JWT", "auth", pypi="djangorestframework-simplejwt"),
    _t("FastAPI Users", "auth", pypi="fastapi-users"),
    # http client
    _t("Axios", "http_client", npm="axios @nestjs/axios"),
    _t("node-fetch", "http_client", npm="node-fetch"),
    _t("got", "http_client", npm="got"),
    _t("undici", "http_client", npm="undici"),
    _t("superagent", "http_client", npm="superagent"),
    _t("Requests", "http_client", pypi="requests"),
    _t("urllib3", "http_client", pypi="urllib3"),
    _t("gRPC", "http_client", npm="@grpc/grpc-js", pypi="grpcio"),
    # api docs
    _t("Swagger UI", "api_docs", npm="swagger-ui-express @fastify/swagger-ui"),
    _t("swagger-jsdoc", "api_docs", npm="swagger-jsdoc"),
    _t("NestJS Swagger", "api_docs", npm="@nestjs/swagger"),
    _t("Fastify Swagger", "api_docs", npm="@fastify/swagger"),
    _t("drf-spectacular", "api_docs", pypi="drf-spectacular"),
    _t("drf-yasg", "api_docs", pypi="drf-yasg"),
    _t("flasgger", "api_docs", pypi="flasgger"),
    _t("apispec", "api_docs", pypi="apispec"),
    _t(
        "OpenAPI",
        "api_docs",
        files="openapi.yaml openapi.yml openapi.json swagger.yaml swagger.json",
    ),
    # container, ci
    _t("Docker", "container", files="Dockerfile Dockerfile.* *.Dockerfile"),
    _t(
        "Docker Compose",
        "container",
        files="docker-compose.yml docker-compose.yaml compose.yml compose.yaml "
        "docker-compose.*.yml",
    ),
    _t("Kubernetes", "container", files="k8s/*.yaml k8s/*.yml kubernetes/*.yaml kubernetes/*.yml"),
    _t("Helm", "container", files="Chart.yaml */Chart.yaml"),
    _t("GitHub Actions", "ci", files=".github/workflows/*.yml .github/workflows/*.yaml"),
    _t("GitLab CI", "ci", files=".gitlab-ci.yml"),
    _t("CircleCI", "ci", files=".circleci/config.yml"),
    _t("Jenkins", "ci", files="Jenkinsfile"),
    _t("Travis CI", "ci", files=".travis.yml"),
    _t("Azure Pipelines", "ci", files="azure-pipelines.yml"),
    _t("Bitbucket Pipelines", "ci", files="bitbucket-pipelines.yml"),
)

BY_NAME = {tech.name: tech for tech in TECHNOLOGIES}


def _index(ecosystem: str) -> dict[str, tuple[Tech, ...]]:
    index: dict[str, list[Tech]] = {}
    for tech in TECHNOLOGIES:
        for package in getattr(tech, ecosystem):
            index.setdefault(package.lower(), []).append(tech)
    return {k: tuple(v) for k, v in index.items()}


BY_PACKAGE = {"npm": _index("npm"), "pypi": _index("pypi")}

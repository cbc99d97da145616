"""Technology rules as data: one row per technology.

A row names the technology as its own documentation writes it, its spec category, and
what reveals it: package names per ecosystem (npm, PyPI, Go module paths, Maven/Gradle
``group:artifact`` patterns), marker files (fnmatch patterns; with a ``/`` they match the
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
ECOSYSTEMS = ("npm", "pypi", "go", "maven")


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


_SERVERS = frozenset({
    "Redis", "Memcached", "RabbitMQ", "Kafka", "Amazon SQS", "NATS", "Keycloak",
})  # fmt: skip


def _t(name: str, category: str, *, npm: str = "", pypi: str = "", go: str = "",
       maven: str = "", files: str = "", images: str = "", commands: str = "", env: str = "",
       implies: str = "", needs: str = "") -> Tech:  # fmt: skip
    return Tech(
        name, category, tuple(npm.split()), tuple(pypi.split()), tuple(go.split()),
        tuple(maven.split()), tuple(files.split()), tuple(images.split()),
        tuple(commands.split()), tuple(env.split()), tuple(i for i in implies.split(",") if i),
        tuple(needs.split()), server=category == "database" or name in _SERVERS,
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
    _t("gRPC", "framework", go="google.golang.org/grpc", npm="@grpc/grpc-js", pypi="grpcio", maven="io.grpc:*"),
    _t("Spring Boot", "framework", maven="org.springframework.boot:*"),
    _t("Spring WebFlux", "framework", maven="org.springframework.boot:spring-boot-starter-webflux org.springframework:spring-webflux"),
    _t("Micronaut", "framework", maven="io.micronaut:* io.micronaut.*:*"),
    _t("Quarkus", "framework", maven="io.quarkus:* io.quarkus.*:*"),
    _t("Dropwizard", "framework", maven="io.dropwizard:*"),
    _t("Vert.x", "framework", maven="io.vertx:*"),
    _t("Javalin", "framework", maven="io.javalin:*"),
    _t("Ktor", "framework", maven="io.ktor:*"),
    # ---- database (named for the server, from drivers, images and env prefixes)
    _t("PostgreSQL", "database", npm="pg postgres pg-promise @neondatabase/serverless @vercel/postgres",
       pypi="psycopg psycopg2 psycopg2-binary psycopg-binary asyncpg pg8000",
       go="github.com/lib/pq github.com/jackc/pgx gorm.io/driver/postgres", maven="org.postgresql:postgresql",
       images="postgres postgis/postgis bitnami/postgresql timescale/timescaledb", env="POSTGRES_ PGHOST"),
    _t("MySQL", "database", npm="mysql mysql2", pypi="mysqlclient pymysql aiomysql mysql-connector-python",
       go="github.com/go-sql-driver/mysql gorm.io/driver/mysql", maven="mysql:mysql-connector-java com.mysql:mysql-connector-j",
       images="mysql bitnami/mysql", env="MYSQL_"),
    _t("MariaDB", "database", npm="mariadb", pypi="mariadb", maven="org.mariadb.jdbc:mariadb-java-client",
       images="mariadb bitnami/mariadb", env="MARIADB_"),
    _t("SQLite", "database", npm="sqlite3 better-sqlite3 sqlite", pypi="aiosqlite",
       go="github.com/mattn/go-sqlite3 modernc.org/sqlite gorm.io/driver/sqlite github.com/glebarez/sqlite", maven="org.xerial:sqlite-jdbc"),
    _t("H2", "database", maven="com.h2database:h2"),
    _t("MongoDB", "database", npm="mongodb", pypi="pymongo motor", go="go.mongodb.org/mongo-driver",
       maven="org.mongodb:* org.springframework.boot:spring-boot-starter-data-mongodb*",
       images="mongo bitnami/mongodb", env="MONGO_ MONGODB_"),
    _t("Elasticsearch", "database", npm="@elastic/elasticsearch", pypi="elasticsearch elasticsearch-dsl",
       go="github.com/elastic/go-elasticsearch", maven="co.elastic.clients:* org.elasticsearch.client:*",
       images="elasticsearch docker.elastic.co/elasticsearch/elasticsearch", env="ELASTICSEARCH_"),
    _t("OpenSearch", "database", npm="@opensearch-project/opensearch", pypi="opensearch-py",
       images="opensearchproject/opensearch"),
    _t("DynamoDB", "database", npm="@aws-sdk/client-dynamodb @aws-sdk/lib-dynamodb dynamoose",
       pypi="pynamodb", images="amazon/dynamodb-local", env="DYNAMODB_"),
    _t("Cassandra", "database", npm="cassandra-driver", pypi="cassandra-driver",
       go="github.com/gocql/gocql", maven="com.datastax.oss:*", images="cassandra"),
    _t("Neo4j", "database", npm="neo4j-driver", pypi="neo4j", go="github.com/neo4j/neo4j-go-driver",
       maven="org.neo4j.driver:*", images="neo4j", env="NEO4J_"),
    _t("Microsoft SQL Server", "database", npm="mssql tedious", pypi="pyodbc pymssql",
       go="github.com/microsoft/go-mssqldb github.com/denisenkom/go-mssqldb",
       maven="com.microsoft.sqlserver:mssql-jdbc", images="mcr.microsoft.com/mssql/server"),
    _t("Oracle Database", "database", npm="oracledb", pypi="oracledb cx-oracle", maven="com.oracle.database.jdbc:*"),
    _t("ClickHouse", "database", npm="@clickhouse/client", pypi="clickhouse-connect clickhouse-driver",
       go="github.com/ClickHouse/clickhouse-go", images="clickhouse/clickhouse-server yandex/clickhouse-server"),
    _t("CockroachDB", "database", images="cockroachdb/cockroach"),
    _t("Firestore", "database", npm="@google-cloud/firestore", pypi="google-cloud-firestore"),
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
    _t("Sentry", "logging", npm="@sentry/node @sentry/nestjs", pypi="sentry-sdk", go="github.com/getsentry/sentry-go",
       maven="io.sentry:*", env="SENTRY_"),
    _t("OpenTelemetry", "logging", npm="@opentelemetry/api @opentelemetry/sdk-node",
       pypi="opentelemetry-api opentelemetry-sdk", go="go.opentelemetry.io/otel", maven="io.opentelemetry:*", env="OTEL_"),
    _t("Prometheus", "logging", npm="prom-client", pypi="prometheus-client prometheus-fastapi-instrumentator",
       go="github.com/prometheus/client_golang", maven="io.micrometer:micrometer-registry-prometheus"),
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
    _t("Faker", "testing", npm="@faker-js/faker", pypi="faker"),
    _t("Go testing", "testing", files="*_test.go"),
    _t("testify", "testing", go="github.com/stretchr/testify"),
    _t("GoMock", "testing", go="go.uber.org/mock github.com/golang/mock"),
    _t("Ginkgo", "testing", go="github.com/onsi/ginkgo"),
    _t("JUnit", "testing", maven="org.junit.jupiter:* org.junit:* junit:junit org.springframework.boot:spring-boot-starter-test org.springframework.boot:spring-boot-starter-*-test"),
    _t("Mockito", "testing", maven="org.mockito:*"),
    _t("AssertJ", "testing", maven="org.assertj:*"),
    _t("REST Assured", "testing", maven="io.rest-assured:*"),
    _t("Testcontainers", "testing", npm="testcontainers", pypi="testcontainers",
       go="github.com/testcontainers/testcontainers-go", maven="org.testcontainers:*"),
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
    _t("Prettier", "formatting", npm="prettier", files=".prettierrc .prettierrc.* prettier.config.*", commands="prettier"),
    _t("Black", "formatting", pypi="black", commands="black"),
    _t("isort", "formatting", pypi="isort", files=".isort.cfg", commands="isort"),
    _t("autopep8", "formatting", pypi="autopep8"),
    _t("gofmt", "formatting", commands="gofmt"),
    _t("goimports", "formatting", commands="goimports"),
    _t("Spotless", "formatting", maven="com.diffplug.spotless:*"),
    _t("EditorConfig", "formatting", files=".editorconfig"),
    _t("TypeScript", "type_checking", npm="typescript", files="tsconfig.json"),
    _t("mypy", "type_checking", pypi="mypy", files="mypy.ini .mypy.ini", commands="mypy"),
    _t("pyright", "type_checking", npm="pyright", pypi="pyright", files="pyrightconfig.json", commands="pyright"),
    # ---- cache
    _t("Redis", "cache", npm="redis ioredis @upstash/redis", pypi="redis aioredis",
       go="github.com/redis/go-redis github.com/go-redis/redis github.com/gomodule/redigo",
       maven="redis.clients:jedis io.lettuce:lettuce-core org.springframework.boot:spring-boot-starter-data-redis",
       images="redis bitnami/redis redis/redis-stack", env="REDIS_"),
    _t("Memcached", "cache", npm="memcached", pypi="pymemcache python-memcached",
       go="github.com/bradfitz/gomemcache", images="memcached", env="MEMCACHED_"),
    _t("node-cache", "cache", npm="node-cache"),
    _t("cache-manager", "cache", npm="cache-manager @nestjs/cache-manager"),
    _t("django-redis", "cache", pypi="django-redis", implies="Redis"),
    _t("Flask-Caching", "cache", pypi="flask-caching"),
    _t("Caffeine", "cache", maven="com.github.ben-manes.caffeine:*"),
    _t("Ehcache", "cache", maven="org.ehcache:* net.sf.ehcache:*"),
    _t("Spring Cache", "cache", maven="org.springframework.boot:spring-boot-starter-cache"),
    # ---- queue
    _t("BullMQ", "queue", npm="bullmq @nestjs/bullmq", implies="Redis"),
    _t("Bull", "queue", npm="bull @nestjs/bull", implies="Redis"),
    _t("Agenda", "queue", npm="agenda"),
    _t("RabbitMQ", "queue", npm="amqplib amqp-connection-manager", pypi="pika aio-pika",
       go="github.com/streadway/amqp github.com/rabbitmq/amqp091-go",
       maven="com.rabbitmq:amqp-client org.springframework.boot:spring-boot-starter-amqp",
       images="rabbitmq bitnami/rabbitmq", env="RABBITMQ_ AMQP_"),
    _t("Kafka", "queue", npm="kafkajs", pypi="kafka-python confluent-kafka aiokafka",
       go="github.com/segmentio/kafka-go github.com/confluentinc/confluent-kafka-go github.com/IBM/sarama github.com/Shopify/sarama",
       maven="org.apache.kafka:* org.springframework.kafka:*",
       images="confluentinc/cp-kafka bitnami/kafka apache/kafka wurstmeister/kafka", env="KAFKA_"),
    _t("Amazon SQS", "queue", npm="@aws-sdk/client-sqs sqs-consumer", go="github.com/aws/aws-sdk-go-v2/service/sqs",
       maven="software.amazon.awssdk:sqs", env="SQS_"),
    _t("NATS", "queue", npm="nats", pypi="nats-py", go="github.com/nats-io/nats.go", images="nats", env="NATS_"),
    _t("Google Pub/Sub", "queue", npm="@google-cloud/pubsub", pypi="google-cloud-pubsub", go="cloud.google.com/go/pubsub"),
    _t("Celery", "queue", pypi="celery", files="celeryconfig.py", commands="celery", env="CELERY_"),
    _t("RQ", "queue", pypi="rq"),
    _t("Dramatiq", "queue", pypi="dramatiq"),
    _t("Huey", "queue", pypi="huey"),
    _t("arq", "queue", pypi="arq"),
    _t("Kombu", "queue", pypi="kombu"),
    _t("Asynq", "queue", go="github.com/hibiken/asynq", implies="Redis"),
    # ---- auth
    _t("Passport", "auth", npm="passport @nestjs/passport"),
    _t("jsonwebtoken", "auth", npm="jsonwebtoken @nestjs/jwt"),
    _t("express-jwt", "auth", npm="express-jwt"),
    _t("jose", "auth", npm="jose"),
    _t("express-session", "auth", npm="express-session"),
    _t("bcrypt", "auth", npm="bcrypt bcryptjs", pypi="bcrypt"),
    _t("Argon2", "auth", npm="argon2", pypi="argon2-cffi"),
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
    _t("Casbin", "auth", go="github.com/casbin/casbin", pypi="casbin", npm="casbin"),
    _t("Spring Security", "auth", maven="org.springframework.security:* org.springframework.boot:spring-boot-starter-security"),
    _t("JJWT", "auth", maven="io.jsonwebtoken:*"),
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
    return ()


def lookup_image(image: str) -> tuple[Tech, ...]:
    """Technologies a container image reference (``postgres:16-alpine``) reveals."""
    name = image.split("@")[0]
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name = name[: len(name) - len(last)] + last.split(":")[0]
    name = name.lower().removeprefix("docker.io/").removeprefix("library/")
    return _IMAGES.get(name, ())

"""Authentication methods and external integrations, from what the code imports and
calls (read line by line, never run) and from the dependency manifests."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlparse

from archdraft.scan.summary import AuthFact, Evidence, Integration, StackItem

_MAX_EVIDENCE = 5

# (pattern in code, auth method). Every alternative starts with a literal character (no
# leading \b or character class), which lets `re` skip ahead to candidate positions: these
# run over every source file.
_AUTH_CODE = tuple((re.compile(p), m) for p, m in (
    (r"jwt\.(sign|verify|decode|encode)\(|jsonwebtoken|JwtService|JwtModule|jwtVerify|SignJWT|"
     r"JWTAuthentication|jwt_required|create_access_token|Jwts\.(builder|parser)|jwt\.Parse|"
     r"jwtauth\.(New|Verifier|Authenticator)|JWT\.require\(", "jwt"),
    (r"express-session|cookie-session|SessionMiddleware|session\.Store|req\.session|"
     r"flask_login|LoginManager|SessionAuthentication|sessions\.NewCookieStore|"
     r"gorilla/sessions|formLogin\(", "session"),
    (r"OAuth2PasswordBearer|OAuth2AuthorizationCodeBearer|passport-google|passport-github|"
     r"passport-oauth|OAuth2Session|authlib|oauth2Login\(|oauth2ResourceServer\(|"
     r"golang\.org/x/oauth2|next-auth|openid-client|allauth", "oauth"),
    (r"APIKeyHeader|APIKeyQuery|\"x-api-key\"|'x-api-key'|HasAPIKey|X-API-Key|apiKeyAuth|"
     r"api_key_header|HeaderAPIKey", "api_key"),
    (r"HTTPBasic\b|HTTPBasicCredentials|HTTPBasicAuth|BasicAuthentication|express-basic-auth|"
     r"gin\.BasicAuth|middleware\.BasicAuth|httpBasic\(|basic_auth", "basic"),
))  # fmt: skip
# Auth libraries in the stack and the method each one implements.
_AUTH_STACK = {
    "jsonwebtoken": "jwt", "jose": "jwt", "express-jwt": "jwt", "PyJWT": "jwt",
    "python-jose": "jwt", "Simple JWT": "jwt", "Flask-JWT-Extended": "jwt", "golang-jwt": "jwt",
    "JJWT": "jwt", "express-session": "session", "Flask-Login": "session", "NextAuth.js": "oauth",
    "Auth0": "oauth", "Authlib": "oauth", "django-allauth": "oauth", "Keycloak": "oauth",
    "Firebase Authentication": "other", "FastAPI Users": "other", "Spring Security": "other",
    "Passport": "other", "Casbin": "other", "jwtauth": "jwt", "jwx": "jwt", "gin-jwt": "jwt",
    "echo-jwt": "jwt", "Gorilla Sessions": "session", "SCS": "session", "Goth": "oauth",
    "go-oidc": "oauth", "Go OAuth2": "oauth", "Fastify JWT": "jwt", "koa-jwt": "jwt",
    "passport-jwt": "jwt", "Fastify Session": "session", "koa-session": "session",
    "cookie-session": "session", "openid-client": "oauth", "Django OAuth Toolkit": "oauth",
    "Flask-HTTPAuth": "basic", "java-jwt": "jwt",
    "Devise": "session", "devise-jwt": "jwt", "ruby-jwt": "jwt", "OmniAuth": "oauth",
    "Doorkeeper": "oauth", "Rodauth": "session", "Laravel Sanctum": "other",
    "Laravel Passport": "oauth", "Laravel Fortify": "session", "Laravel Socialite": "oauth",
    "jwt-auth": "jwt", "PHP-JWT": "jwt", "Symfony Security": "other",
    "LexikJWTAuthenticationBundle": "jwt", "ASP.NET Core Identity": "session",
    "JwtBearer": "jwt", "Microsoft Identity Web": "oauth", "Duende IdentityServer": "oauth",
    "OpenIddict": "oauth", "axum-login": "session", "tower-sessions": "session",
    "actix-identity": "session", "actix-session": "session", "actix-web-httpauth": "other",
    "rust-jwt": "jwt",
}  # fmt: skip

# (pattern in an import or require, integration name, kind)
_SDKS = tuple((re.compile(p), n, k) for p, n, k in (
    (r"\bstripe\b", "Stripe", "sdk"), (r"@aws-sdk/|aws-sdk|\bboto3\b|aws-sdk-go|software\.amazon\.awssdk", "AWS", "sdk"),
    (r"\btwilio\b", "Twilio", "sdk"), (r"@sendgrid/|\bsendgrid\b", "SendGrid", "sdk"),
    (r"@slack/|slack_sdk|slack-go", "Slack", "sdk"), (r"\bopenai\b", "OpenAI", "sdk"),
    (r"@anthropic-ai/|\banthropic\b", "Anthropic", "sdk"),
    (r"googleapis|@google-cloud/|google\.cloud|cloud\.google\.com/go", "Google Cloud", "sdk"),
    (r"firebase-admin|firebase_admin", "Firebase", "sdk"), (r"\bnodemailer\b|\bsmtplib\b|net/smtp", "SMTP", "sdk"),
    (r"mailgun", "Mailgun", "sdk"), (r"postmark", "Postmark", "sdk"), (r"\balgoliasearch\b|\balgolia\b", "Algolia", "sdk"),
    (r"@octokit/|\bPyGithub\b|go-github", "GitHub", "sdk"), (r"\bpaypal", "PayPal", "sdk"),
    (r"@azure/|azure\.", "Azure", "sdk"), (r"cloudinary", "Cloudinary", "sdk"), (r"\bpusher\b", "Pusher", "sdk"),
    (r"graphql-request|@apollo/client|\bgql\b|urql|graphql-go/graphql", "GraphQL API", "graphql"),
    (r"\bsoap\b|\bzeep\b|\bsuds\b|jakarta\.xml\.ws|javax\.xml\.ws", "SOAP service", "soap"),
    (r"@grpc/grpc-js|\bgrpc\b|google\.golang\.org/grpc|io\.grpc", "gRPC service", "grpc"),
    (r"kafkajs|confluent_kafka|\baiokafka\b|kafka-python|segmentio/kafka-go|org\.apache\.kafka", "Kafka", "queue"),
    (r"amqplib|\bpika\b|aio_pika|amqp091|com\.rabbitmq", "RabbitMQ", "queue"),
    (r"@aws-sdk/client-sqs|sqs-consumer", "Amazon SQS", "queue"),
    (r"\bbullmq\b|\bbull\b", "BullMQ", "queue"), (r"\bcelery\b", "Celery", "queue"),
    (r"@google-cloud/pubsub|google\.cloud import pubsub", "Google Pub/Sub", "queue"), (r"\bnats\b", "NATS", "queue"),
))  # fmt: skip
# Words each integration's import patterns are made of ("SMTP": nodemailer, smtplib, ...).
INTEGRATION_ALIASES: dict[str, set[str]] = {}
for _pattern, _name, _kind in _SDKS:
    INTEGRATION_ALIASES.setdefault(_name, set()).update(
        w.lower()
        for w in re.findall(r"[A-Za-z][A-Za-z0-9_]{2,}", _pattern.pattern.replace("\\b", " "))
    )

_IMPORT_LINES = re.compile(
    r"""(?m)^[ \t]*(?:import\s.*?from\s+["']([^"']+)["']|import\s+["']([^"']+)["']|"""
    r"""(?:const|let|var)\s+.*?=\s*require\(\s*["']([^"']+)["']\s*\)|from\s+([\w.]+)\s+import|"""
    r"""import\s+([\w.]+)|[ \t]*"([\w./-]+)"[ \t]*$|[\w]+[ \t]+"([\w./-]+)"[ \t]*$)"""
)
_CLIENT_CALL = re.compile(r"axios|fetch\(|requests\.|httpx|http\.(Get|Post|NewRequest)|RestTemplate|"
                          r"WebClient|HttpClient|got\(|superagent|urllib|baseURL|base_url|BASE_URL|"
                          r"ky\(|request\(|resty")  # fmt: skip
_URL = re.compile(r"""["'`](https?://[^"'`\s$]+)""")
_LOCAL_HOSTS = re.compile(r"^(localhost|127\.|0\.0\.0\.0|\[::1\]|example\.(com|org)|.*\.local$|"
                          r"www\.w3\.org|json-schema\.org|schemas\.|swagger\.io)")  # fmt: skip


@dataclass(frozen=True)
class Signal:
    name: str
    kind: str
    """For auth, the method; for an integration, its kind."""
    evidence: Evidence


@cache
def _sdk(module: str) -> tuple[str, str] | None:
    """(integration, kind) for an imported module; the same few modules recur in every file."""
    return next(((name, kind) for pattern, name, kind in _SDKS if pattern.search(module)), None)


def code_signals(path: str, text: str) -> tuple[list[Signal], list[Signal]]:
    """(auth signals, integration signals) in one source file. Whole-text searches with
    line numbers from offsets: files are many and most hold none of these."""

    def line_at(offset: int) -> int:
        return text.count("\n", 0, offset) + 1

    auth: list[Signal] = []
    for pattern, method in _AUTH_CODE:
        for found in itertools.islice(pattern.finditer(text), _MAX_EVIDENCE):
            auth.append(Signal(method, method, Evidence(path, line_at(found.start()))))
    integrations: list[Signal] = []
    for imported in _IMPORT_LINES.finditer(text):
        sdk = _sdk(next((g for g in imported.groups() if g), ""))
        if sdk is not None:
            integrations.append(Signal(*sdk, Evidence(path, line_at(imported.start()))))
    for url in _URL.finditer(text):
        begin = text.rfind("\n", 0, url.start()) + 1
        end = text.find("\n", url.end())
        line = text[begin : end if end != -1 else len(text)]
        try:
            host = urlparse(url.group(1)).hostname or ""
        except ValueError:  # "http://[resource-path]/..." is text, not a URL
            continue
        if host and len(line) <= 500 and _CLIENT_CALL.search(line) and not _LOCAL_HOSTS.match(host):
            kind = "graphql" if "graphql" in url.group(1).lower() else "rest"
            integrations.append(Signal(host, kind, Evidence(path, line_at(url.start()))))
    return auth, integrations


def auth_facts(signals: list[Signal], stack: tuple[StackItem, ...]) -> tuple[AuthFact, ...]:
    evidence: dict[str, list[Evidence]] = {}
    for signal in signals:
        evidence.setdefault(signal.kind, []).append(signal.evidence)
    for item in stack:
        method = _AUTH_STACK.get(item.name) if item.category == "auth" else None
        if method:
            evidence.setdefault(method, []).extend(item.evidence[:1])
    return tuple(
        AuthFact(
            method, tuple(sorted(set(found), key=lambda e: (e.path, e.line or 0)))[:_MAX_EVIDENCE]
        )
        for method, found in sorted(evidence.items())
    )


def integration_facts(signals: list[Signal]) -> tuple[Integration, ...]:
    merged: dict[tuple[str, str], set[Evidence]] = {}
    for signal in signals:
        merged.setdefault((signal.name, signal.kind), set()).add(signal.evidence)
    return tuple(
        Integration(
            name, kind, tuple(sorted(found, key=lambda e: (e.path, e.line or 0)))[:_MAX_EVIDENCE]
        )
        for (name, kind), found in sorted(merged.items())
    )

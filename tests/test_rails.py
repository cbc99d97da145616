"""Ruby on Rails: routes from config/routes.rb joined with controllers, auth from filters,
and the other facts a Rails app's Ruby code gives."""

from __future__ import annotations

import random

from archdraft.repo import open_repo
from archdraft.scan import scan

from .conftest import route_lines, scan_files

ROUTES = """\
Rails.application.routes.draw do
  root "pages#home"
  get "/login" => "sessions#new"
  match "/logout", to: "sessions#destroy", via: [:get, :delete]
  get "/top(/:length(/page/:page))(.:format)" => "home#top"
  get "/feeds/old", to: redirect("/new")
  mount Sidekiq::Web => "/sidekiq"

  scope :api, defaults: { format: :json } do
    resource :user, only: [:show, :update]
    resources :articles, param: :slug, except: [:edit, :new] do
      resource :favorite, only: [:create, :destroy]
      resources :comments, only: [:index, :create, :destroy]
      get :feed, on: :collection
      member do
        post :publish
      end
      post "upvote"
    end
  end

  namespace :admin do
    resources :users
  end
  draw(:billing)
end
"""

CONCERN = """\
module Authentication
  extend ActiveSupport::Concern

  included do
    before_action :authenticate_user!
  end

  class_methods do
    def skip_authentication(**options)
      skip_before_action :authenticate_user!, **options
    end
  end

  private
    def authenticate_user!
      redirect_to "/login" unless Current.user
    end
end
"""

APP = {
    "config/routes.rb": ROUTES,
    "config/routes/billing.rb": (
        'namespace :billing do\n  post "webhook", to: "hooks#stripe"\nend\n'
    ),
    "app/controllers/application_controller.rb": (
        "class ApplicationController < ActionController::Base\n"
        "  include Authentication\n"
        "  rescue_from ActiveRecord::RecordNotFound, with: :not_found\n"
        "end\n"
    ),
    "app/controllers/concerns/authentication.rb": CONCERN,
    "app/controllers/pages_controller.rb": (
        "class PagesController < ApplicationController\n"
        "  skip_authentication only: :home\n"
        "  def home; end\n"
        "end\n"
    ),
    "app/controllers/sessions_controller.rb": (
        "class SessionsController < ApplicationController\n"
        "  skip_before_action :authenticate_user!\n"
        "  def new; end\n  def destroy; end\n"
        "end\n"
    ),
    "app/controllers/users_controller.rb": (
        "class UsersController < ApplicationController\n  def show; end\n  def update; end\nend\n"
    ),
    "app/controllers/articles_controller.rb": (
        "class ArticlesController < ApplicationController\n"
        "  skip_before_action :authenticate_user!, only: [:index, :show]\n"
        "  def index; end\n  def show; end\n  def create; end\n  def feed; end\n"
        "  def publish; end\n  def upvote; end\n"
        "  private\n  def destroy; end\n"
        "end\n"
    ),
    "app/controllers/comments_controller.rb": (
        "class CommentsController < ApplicationController\n"
        "  def index; end\n  def create; end\n"
        "end\n"
    ),
    "app/controllers/admin/base_controller.rb": (
        "module Admin\n  class BaseController < ApplicationController\n"
        "    before_action :require_admin\n"
        "    def require_admin\n      head :forbidden unless Current.user&.admin?\n    end\n"
        "  end\nend\n"
    ),
    "app/controllers/admin/users_controller.rb": (
        "class Admin::UsersController < Admin::BaseController\n"
        "  def index; end\n  def destroy; end\n"
        "end\n"
    ),
}


def test_routes_expand_resources_where_the_controller_defines_the_action(tmp_path):
    summary = scan_files(tmp_path, APP)
    # favorites_controller.rb is missing: its actions are kept, auth unknown; the private
    # ArticlesController#destroy is no action, so DELETE /api/articles/{slug} is not listed
    assert route_lines(summary) == [
        "ANY /sidekiq unknown",
        "DELETE /admin/users/{id} required",
        "DELETE /api/articles/{article_slug}/favorite unknown",
        "DELETE /logout public",
        "GET / public",
        "GET /admin/users required",
        "GET /api/articles public",
        "GET /api/articles/feed required",
        "GET /api/articles/{article_slug}/comments required",
        "GET /api/articles/{slug} public",
        "GET /api/user required",
        "GET /feeds/old unknown",
        "GET /login public",
        "GET /logout public",
        "GET /top unknown",
        "GET /top/{length} unknown",
        "GET /top/{length}/page/{page} unknown",
        "PATCH /api/user required",
        "POST /api/articles required",
        "POST /api/articles/{article_slug}/comments required",
        "POST /api/articles/{article_slug}/favorite unknown",
        "POST /api/articles/{article_slug}/upvote required",
        "POST /api/articles/{slug}/publish required",
        "POST /billing/webhook unknown",
        "PUT /api/user required",
    ]


def test_handlers_and_evidence_name_the_controller_and_the_routes_line(tmp_path):
    summary = scan_files(tmp_path, APP)
    by_key = {(r.method, r.path): r for r in summary.routes}
    feed = by_key[("GET", "/api/articles/feed")]
    assert feed.handler == "ArticlesController.feed"
    assert (feed.evidence[0].path, feed.evidence[0].line) == ("config/routes.rb", 14)
    admin = by_key[("GET", "/admin/users")]
    assert admin.handler == "Admin::UsersController.index"
    assert by_key[("POST", "/billing/webhook")].handler == "Billing::HooksController.stripe"
    assert by_key[("POST", "/billing/webhook")].evidence[0].path == "config/routes/billing.rb"
    assert by_key[("ANY", "/sidekiq")].handler == "Sidekiq::Web"
    assert by_key[("GET", "/feeds/old")].handler is None  # a redirect, no controller


def test_a_lenient_twin_or_a_filter_that_never_halts_guards_nothing(tmp_path):
    files = {
        "config/routes.rb": (
            "Rails.application.routes.draw do\n  resources :tags, only: [:index]\n"
            "  get '/home' => 'home#index'\nend\n"
        ),
        "app/controllers/application_controller.rb": (
            "class ApplicationController < ActionController::API\n"
            "  before_action :authenticate_user\n"
            "  def authenticate_user\n    @user = User.find_by(token: params[:t])\n  end\n"
            "end\n"
        ),
        "app/controllers/tags_controller.rb": (
            "class TagsController < ApplicationController\n  def index; end\nend\n"
        ),
        "app/controllers/home_controller.rb": (
            "class HomeController < ApplicationController\n"
            "  before_action :authenticate_user!, except: [:about]\n"
            "  def index; end\n"
            "  private\n  def authenticate_user!\n    head :unauthorized unless @user\n  end\n"
            "end\n"
        ),
    }
    assert route_lines(scan_files(tmp_path, files)) == [
        "GET /home required",
        "GET /tags unknown",
    ]


def test_models_tables_env_entry_points_errors_and_middleware(tmp_path):
    files = {
        **APP,
        "app/models/article.rb": "class Article < ApplicationRecord\nend\n",
        "app/models/application_record.rb": (
            "class ApplicationRecord < ActiveRecord::Base\n  self.abstract_class = true\nend\n"
        ),
        "db/schema.rb": (
            "ActiveRecord::Schema[7.1].define(version: 1) do\n"
            '  create_table "articles", force: :cascade do |t|\n    t.string "title"\n  end\n'
            "end\n"
        ),
        "config/application.rb": (
            "module Blog\n  class Application < Rails::Application\n"
            "    config.middleware.use Rack::Attack\n"
            "    config.middleware.insert_before 0, Rack::Cors do\n    end\n"
            '    config.x.key = ENV.fetch("SECRET_KEY", "dev")\n'
            "  end\nend\n"
        ),
        "config/initializers/redis.rb": 'Redis.new(url: ENV["REDIS_URL"])\n',
        "config.ru": 'require_relative "config/environment"\nrun Rails.application\n',
        "bin/rails": "#!/usr/bin/env ruby\nrequire_relative '../config/boot'\n",
        "lib/errors.rb": "class PaymentError < StandardError; end\n",
        "spec/models/article_spec.rb": 'x = ENV["ONLY_IN_SPECS"]\n',
    }
    summary = scan_files(tmp_path, files)
    assert {(m.name, m.kind) for m in summary.models} == {
        ("Article", "orm_model"),
        ("articles", "table"),
    }
    assert [(e.name, e.evidence[0].path, e.evidence[0].line) for e in summary.env_vars] == [
        ("REDIS_URL", "config/initializers/redis.rb", 1),
        ("SECRET_KEY", "config/application.rb", 6),
    ]
    assert [(e.path, e.kind, e.line) for e in summary.entrypoints] == [
        ("bin/rails", "cli", 1),
        ("config.ru", "server", 2),
    ]
    assert [(m.name, m.scope, m.order) for m in summary.middleware] == [
        ("Rack::Attack", "global", 1),
        ("Rack::Cors", "global", 2),
    ]
    assert {(e.name, e.kind) for e in summary.errors} == {
        ("PaymentError", "class"),
        ("ApplicationController.not_found", "handler"),
    }
    assert any(t.path.startswith("spec") for t in summary.tests)


def test_shallow_nesting_takes_member_routes_out_of_the_parent(tmp_path):
    routes = """\
Rails.application.routes.draw do
  namespace :api do
    scope module: :v2, path: "v2" do
      resources :tags, only: %i[index] do
        resources :notes, shallow: true, only: %i[index create show destroy] do
          post :pin, on: :member
          resources :links, only: %i[index update]
        end
      end
    end
  end
  shallow do
    resources :boards, only: [:show] do
      resources :cards, except: %w[new edit index]
    end
  end
end
"""
    assert route_lines(scan_files(tmp_path, {"config/routes.rb": routes})) == [
        # Rails' shallow_path: a namespace's path, not a scope's nor a parent's
        "DELETE /api/notes/{id} unknown",
        "DELETE /cards/{id} unknown",
        "GET /api/notes/{id} unknown",
        "GET /api/notes/{note_id}/links unknown",
        "GET /api/v2/tags unknown",
        "GET /api/v2/tags/{tag_id}/notes unknown",
        "GET /boards/{id} unknown",
        "GET /cards/{id} unknown",
        "PATCH /api/links/{id} unknown",
        "PATCH /cards/{id} unknown",
        "POST /api/notes/{id}/pin unknown",
        "POST /api/v2/tags/{tag_id}/notes unknown",
        "POST /boards/{board_id}/cards unknown",
        "PUT /api/links/{id} unknown",
        "PUT /cards/{id} unknown",
    ]


def test_env_vars_read_in_the_erb_of_rails_yaml_configuration(tmp_path):
    files = {
        "config/database.yml": (
            "default: &default\n  adapter: postgresql\n"
            '  pool: <%= ENV.fetch("RAILS_MAX_THREADS") { 5 } %>\n'
            "production:\n  <<: *default\n"
            "  url: <%= ENV['DATABASE_URL'] %>\n"
            "  # ENV['IN_A_COMMENT'] is no ERB\n"
            '  password: <%=\n    ENV["DB_PASSWORD"]\n  %>\n'
        ),
        "config/cable.yml": "production:\n  url: <%= ENV.fetch('REDIS_URL') { 'redis://x' } %>\n",
        "deploy/values.yml": "url: <%= ENV['NOT_RAILS_CONFIG'] %>\n",
    }
    summary = scan_files(tmp_path, files)
    assert [(e.name, e.evidence[0].path, e.evidence[0].line) for e in summary.env_vars] == [
        ("DATABASE_URL", "config/database.yml", 6),
        ("DB_PASSWORD", "config/database.yml", 9),
        ("RAILS_MAX_THREADS", "config/database.yml", 3),
        ("REDIS_URL", "config/cable.yml", 2),
    ]


def test_routes_lines_no_route_came_from_are_counted_in_reach(tmp_path):
    files = {
        "config/routes.rb": (
            "Rails.application.routes.draw do\n  get '/a' => 'a#b'\n  resources photos_list\nend\n"
        ),
    }
    summary = scan_files(tmp_path, files)
    assert route_lines(summary) == ["GET /a unknown"]
    assert (summary.reach.registrations, summary.reach.unrouted) == (2, 1)


def test_odd_ruby_never_fails_the_scan(tmp_path):
    rng = random.Random(14)
    odd = [
        "Rails.application.routes.draw do\n" + "scope 'x' do\n" * 300 + "end\n" * 300 + "end\n",
        "Rails.application.routes.draw do\n  resources\n  get\n  get 1 => 2\n  root\n"
        "  resources :a, only: 5, param: [1]\n  namespace do\n  end\n  draw\n  mount\nend\n",
        "class < \nmodule ::\n  before_action\n  skip_before_action only: :x\nend\n",
        'get "#{x}/a" => "#{y}#z"\nENV[x]\nENV.fetch\ncreate_table\n',
        bytes(rng.randrange(256) for _ in range(3000)).decode("latin-1"),
        "\x00\ufffd" * 500 + "resources :x do " * 50,
    ]
    files = {"config/routes.rb": odd[0], "config/routes/x.rb": odd[1]}
    files |= {f"app/controllers/odd{i}_controller.rb": text for i, text in enumerate(odd)}
    summary = scan_files(tmp_path, files)
    assert not [w for w in summary.warnings if "could not be read" in w]


def test_controllers_in_nested_modules_are_found_for_their_routes(tmp_path):
    files = {
        "config/routes.rb": (
            "Rails.application.routes.draw do\n  namespace :api do\n    namespace :v1 do\n"
            '      post "auth/login", to: "auth#login"\n      resources :tags, only: :index\n'
            "    end\n  end\nend\n"
        ),
        "app/controllers/api/v1/base_controller.rb": (
            "module Api\n  module V1\n    class BaseController < ActionController::API\n"
            "      before_action :doorkeeper_authorize!\n    end\n  end\nend\n"
        ),
        "app/controllers/api/v1/auth_controller.rb": (
            "module Api\n  module V1\n    class AuthController < BaseController\n"
            "      skip_before_action :doorkeeper_authorize!\n      def login; end\n"
            "    end\n  end\nend\n"
        ),
        "app/controllers/api/v1/tags_controller.rb": (
            "module Api\n  module V1\n    class TagsController < BaseController\n"
            "      def index; end\n    end\n  end\nend\n"
        ),
    }
    summary = scan_files(tmp_path, files)
    assert sorted((r.method, r.path, r.handler, r.auth) for r in summary.routes) == [
        ("GET", "/api/v1/tags", "Api::V1::TagsController.index", "required"),
        ("POST", "/api/v1/auth/login", "Api::V1::AuthController.login", "public"),
    ]


def test_devise_for_draws_the_routes_of_the_modules_the_model_enables(tmp_path):
    files = {
        "config/routes.rb": (
            "Rails.application.routes.draw do\n  scope :api do\n"
            "    devise_for :users, controllers: { sessions: :sessions },\n"
            "                       path_names: { sign_in: :login }\n  end\nend\n"
        ),
        "app/models/user.rb": (
            "class User < ApplicationRecord\n"
            "  devise :database_authenticatable, :recoverable\nend\n"
        ),
        "app/controllers/sessions_controller.rb": (
            "class SessionsController < Devise::SessionsController\n  def create; end\nend\n"
        ),
    }
    summary = scan_files(tmp_path, files)
    assert sorted((r.method, r.path, r.handler) for r in summary.routes) == [
        ("DELETE", "/api/users/sign_out", "SessionsController.destroy"),
        ("GET", "/api/users/login", "SessionsController.new"),
        ("GET", "/api/users/password/edit", "Devise::PasswordsController.edit"),
        ("GET", "/api/users/password/new", "Devise::PasswordsController.new"),
        ("PATCH", "/api/users/password", "Devise::PasswordsController.update"),
        ("POST", "/api/users/login", "SessionsController.create"),
        ("POST", "/api/users/password", "Devise::PasswordsController.create"),
        ("PUT", "/api/users/password", "Devise::PasswordsController.update"),
    ]
    assert {r.evidence[0].line for r in summary.routes} == {3}


def test_a_20_mb_ruby_file_is_skipped_with_a_warning_and_the_rest_is_read(tmp_path):
    controller = "class PagesController < ApplicationController\n  def home; end\nend\n"
    huge_routes = "Rails.application.routes.draw do\n" + '  get "/big" => "pages#home"\n' * 730_000
    assert len(huge_routes) > 20 * 1024 * 1024
    summary = scan_files(
        tmp_path,
        {
            "config/routes.rb": 'Rails.application.routes.draw do\n  root "pages#home"\n'
            "  draw(:big)\nend\n",
            "config/routes/big.rb": huge_routes + "end\n",
            "app/models/huge.rb": "class Huge < ApplicationRecord\n" + "  # filler\n" * 2_000_000,
            "app/controllers/pages_controller.rb": controller,
        },
    )
    assert route_lines(summary) == ["GET / unknown"]
    for path in ("config/routes/big.rb", "app/models/huge.rb"):
        assert any(w.startswith(f"{path}: skipped, larger than") for w in summary.warnings), path
    assert "Huge" not in {m.name for m in summary.models}


def test_rails_fixture_stack_models_env_and_entry_points(make_repo):
    summary = scan(open_repo(make_repo("rails-app"), 1 << 20))
    stack = {(s.category, s.name): s.version for s in summary.stack}
    assert stack[("framework", "Ruby on Rails")] == "~> 7.1.3"
    assert stack[("runtime", "Ruby")] == "3.3.4"  # .ruby-version
    assert ("orm", "Active Record") in stack
    assert ("database", "PostgreSQL") in stack
    assert ("auth", "ruby-jwt") in stack
    assert ("testing", "RSpec") in stack
    assert ("linting", "RuboCop") in stack
    assert ("queue", "Sidekiq") in stack
    assert [m.name for m in summary.models if m.kind == "orm_model"] == ["Book", "Review", "User"]
    assert [m.name for m in summary.models if m.kind == "table"] == ["books", "reviews", "users"]
    assert {v.name for v in summary.env_vars} == {
        "BUNDLE_GEMFILE",  # config/boot.rb
        "CORS_ORIGINS",
        "DATABASE_URL",  # only in config/database.yml's ERB and .env.example
        "JWT_SECRET",
        "PORT",
        "RAILS_MAX_THREADS",
        "REDIS_URL",
    }
    assert [(e.path, e.kind, e.line) for e in summary.entrypoints] == [
        ("bin/rails", "cli", 1),
        ("config.ru", "server", 5),
    ]
    assert [(m.name, m.evidence[0].line) for m in summary.middleware] == [("Rack::Cors", 17)]
    assert {a.method for a in summary.auth} == {"jwt"}


def test_a_verb_sets_the_method_whatever_via_says(tmp_path):
    routes = (
        "Rails.application.routes.draw do\n"
        '  get "/404" => "errors#not_found", via: :all\n'
        '  match "/500" => "errors#failure", via: :all\n'
        '  match "/ping" => "errors#ping", via: [:get, :head]\nend\n'
    )
    summary = scan_files(tmp_path, {"config/routes.rb": routes})
    assert route_lines(summary) == [
        "ANY /500 unknown",
        "GET /404 unknown",
        "GET /ping unknown",
        "HEAD /ping unknown",
    ]


def test_a_routes_optional_segments_give_each_form_it_serves() -> None:
    from archdraft.scan.http.rails_routes import rails_paths

    assert rails_paths("/top(/:length(/page/:page))(.:format)") == [
        "/top",
        "/top/{length}",
        "/top/{length}/page/{page}",
    ]
    assert rails_paths("/a(/:b)(/:c)") == ["/a", "/a/{b}", "/a/{c}", "/a/{b}/{c}"]
    assert rails_paths("/files/*path(.:format)") == ["/files/{path}"]


def test_a_filter_that_redirects_to_sign_in_guards_and_skipping_it_opens(tmp_path):
    files = {
        "Gemfile": "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\n",
        "config/routes.rb": (
            "Rails.application.routes.draw do\n"
            "  resource :dashboard, only: :show\n"
            "  resources :notices, only: %i[index show]\n"
            "end\n"
        ),
        "app/controllers/application_controller.rb": (
            "class ApplicationController < ActionController::Base\nend\n"
        ),
        "app/controllers/dashboards_controller.rb": (
            "class DashboardsController < ApplicationController\n"
            "  before_action :redirect_to_signin, unless: :signed_in?\n"
            "  def show; end\nend\n"
        ),
        "app/controllers/notices_controller.rb": (
            "class NoticesController < ApplicationController\n"
            "  before_action :redirect_to_signin, unless: :signed_in?\n"
            "  skip_before_action :redirect_to_signin, only: %i[index]\n"
            "  before_action :redirect_to_new_mfa, if: :mfa_required?\n"
            "  def index; end\n  def show; end\nend\n"
        ),
    }
    summary = scan_files(tmp_path, files)
    assert route_lines(summary) == [
        "GET /dashboard required",
        "GET /notices public",
        "GET /notices/{id} required",
    ]

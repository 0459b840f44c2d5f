"""`declassified api-token create|revoke|list`: per-user tokens for writing through the API."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from declassified.api import tokens
from declassified.api.models import ApiToken


class Command(BaseCommand):
    help = "Create, revoke or list API tokens (the key is printed once, at creation)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{create,revoke,list}")
        create = sub.add_parser("create", help="make a token for USERNAME and print its key")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="what the token is for")
        revoke = sub.add_parser("revoke", help="revoke a token, named by its prefix or ID")
        revoke.add_argument("token", help="the key's first characters (as listed) or the ID")
        listing = sub.add_parser("list", help="list tokens (of one user, or all)")
        listing.add_argument("username", nargs="?")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"handle_{action}")(**options)
        except DatabaseError as error:
            raise CommandError(f"The database is not ready ({error}); "
                               "run `declassified migrate` first.") from None

    def user(self, username: str) -> User:
        user_model = get_user_model()
        user = user_model.objects.filter(**{user_model.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        return user

    def handle_create(self, *, username: str, name: str, **options):
        name = name.strip()
        if not name or len(name) > 100:
            raise CommandError("--name must be 1 to 100 characters.")
        user = self.user(username)
        if not user.is_active:
            raise CommandError(f"{username!r} is disabled; enable the account first.")
        token, key = tokens.do_create_token(user, name)
        self.stderr.write(f"Token {token.pk} '{name}' for {username}. The key is shown only once:")
        self.stdout.write(key)

    def handle_revoke(self, *, token: str, **options):
        rows = ApiToken.objects.all()
        if token.isascii() and token.isdigit():
            matches = list(rows.filter(pk=int(token))[:2])
        elif len(token) > tokens.PREFIX_LENGTH:  # the whole key
            matches = list(rows.filter(key_hash=tokens.hash_key(token))[:2])
        else:
            matches = list(rows.filter(prefix__startswith=token[: tokens.PREFIX_LENGTH])[:2])
        if not matches:
            raise CommandError(f"No token matches {token!r}; `declassified api-token list` "
                               "shows them.")
        if len(matches) > 1:
            raise CommandError(f"Several tokens match {token!r}; give the ID instead.")
        found = matches[0]
        if tokens.do_revoke_token(found):
            self.stdout.write(f"Revoked token {found.pk} '{found.name}' of {found.user}.")
        else:
            self.stdout.write(f"Token {found.pk} '{found.name}' was already revoked.")

    def handle_list(self, *, username: str | None = None, **options):
        rows = ApiToken.objects.select_related("user").order_by("id")
        if username:
            rows = rows.filter(user=self.user(username))
        for token in rows:
            state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(f"{token.pk}\t{token.prefix}…\t{token.user}\t{token.name}\t"
                              f"{state}\tlast used {used}")

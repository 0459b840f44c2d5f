"""`declassified create-editor USERNAME`: the first (or next) account of the back office."""

from __future__ import annotations

import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction

from declassified.archive.fields import concrete_field
from declassified.archive.roles import CONTRIBUTOR, EDITOR, ensure_groups

PASSWORD_VARIABLE = "DECLASSIFIED_PASSWORD"


def database_not_ready(error: Exception) -> CommandError:
    return CommandError(f"The database is not ready ({error}); run `declassified migrate` first.")


def username_taken(user_model: type[User], username: str) -> bool:
    """Case-insensitively: 'Alice' next to 'alice' would only confuse people."""
    try:
        return user_model.objects.filter(
            **{f"{user_model.USERNAME_FIELD}__iexact": username}).exists()
    except DatabaseError as error:
        raise database_not_ready(error) from None


class Command(BaseCommand):
    help = (
        "Create a back-office account: staff, in the Editor group (or Contributor).\n"
        f"The password comes from ${PASSWORD_VARIABLE}, or is asked for twice in a terminal."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="login name (letters, digits and @.+-_)")
        parser.add_argument("--email", default="", help="the editor's email address")
        parser.add_argument(
            "--contributor", action="store_true",
            help="drafts only: may create and edit drafts, not publish or withdraw",
        )

    def handle(self, *args, username: str, email: str, contributor: bool, **options):
        user_model = get_user_model()
        username = self.checked_username(user_model, username)
        email = self.checked_email(email)
        password = self.read_password()
        try:
            validate_password(password, user_model(username=username, email=email))
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from None
        group_name = CONTRIBUTOR if contributor else EDITOR
        try:
            with transaction.atomic():
                group = ensure_groups()[group_name]
                user = user_model.objects.create_user(username, email, password, is_staff=True)
                user.groups.add(group)
        except DatabaseError as error:
            raise database_not_ready(error) from None
        self.stdout.write(
            f"Created {user.get_username()} in the {group_name} group; "
            "log in at /admin/."
        )

    def checked_username(self, user_model: type[User], username: str) -> str:
        username = username.strip()
        field = concrete_field(user_model, user_model.USERNAME_FIELD)
        try:
            field.run_validators(username)
            if not username:
                raise ValidationError("A username may not be empty.")
        except ValidationError as error:
            raise CommandError(
                f"Username {username!r} refused: " + " ".join(error.messages)
            ) from None
        if username_taken(user_model, username):
            raise CommandError(
                f"A user named {username!r} already exists; "
                f"`declassified changepassword {username}` sets a new password."
            )
        return username

    def checked_email(self, email: str) -> str:
        email = email.strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise CommandError(f"--email {email!r} is not an email address.") from None
        return email

    def read_password(self) -> str:
        """From the environment, else asked twice on a terminal; never from a pipe or file."""
        if PASSWORD_VARIABLE in os.environ:
            password = os.environ[PASSWORD_VARIABLE]
            if not password:
                raise CommandError(f"${PASSWORD_VARIABLE} is set but empty.")
            return password
        if not sys.stdin or not sys.stdin.isatty():
            raise CommandError(
                f"No password: set {PASSWORD_VARIABLE}=… or run the command in a terminal to "
                "be asked for one."
            )
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ; nothing was created.")
        if not password:
            raise CommandError("An empty password is not allowed; nothing was created.")
        return password

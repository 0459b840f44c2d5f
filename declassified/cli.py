"""The `declassified` command: the project's own subcommands first, Django's underneath.

Subcommands are Django management commands; hyphens on the command line map to the
underscores of their module names (`declassified import-frus` runs `import_frus`).
"""

from __future__ import annotations

import os
import sys

# Django's own commands worth listing for operators; every other Django command still works.
DJANGO_COMMANDS = ["migrate", "createsuperuser", "changepassword", "check", "shell", "dbshell"]


def project_commands() -> dict[str, str]:
    """{command name with hyphens: first line of its help} for the project's commands."""
    from django.core.management import get_commands, load_command_class

    commands = {}
    for name, app in sorted(get_commands().items()):
        if app.startswith("declassified") or name in DJANGO_COMMANDS:
            help_text = (load_command_class(app, name).help or "").strip().splitlines()
            commands[name.replace("_", "-")] = help_text[0] if help_text else ""
    return commands


def print_help() -> None:
    commands = project_commands()
    width = max(len(name) for name in commands)
    print("usage: declassified COMMAND [options]\n")
    print("Publish and research a digital archive of declassified documents.\n")
    print("commands:")
    for name, text in commands.items():
        print(f"  {name.ljust(width)}  {text}")
    print("\n`declassified COMMAND --help` explains one command.")
    print("Settings come from the environment; see docs/configuration.md.")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "declassified.settings")
    import django

    django.setup()
    if len(argv) < 2 or argv[1] in {"-h", "--help", "help"} and len(argv) == 2:
        print_help()
        return 0
    from django.core.management import ManagementUtility, get_commands

    name = argv[1].replace("-", "_")
    if name not in get_commands():
        sys.stderr.write(f"declassified: unknown command {argv[1]!r}; "
                         "`declassified --help` lists the commands.\n")
        return 2
    # run_from_argv names the command in usage and error messages by argv[1]: keep the
    # spelling the user typed ("declassified create-editor", not "create_editor").
    command = ManagementUtility(argv).fetch_command(name)
    command.run_from_argv(["declassified", name.replace("_", "-"), *argv[2:]])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

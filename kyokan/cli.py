"""The ``kyokan`` console command: Django's management commands with Kyokan's settings."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyokan.config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        # `kyokan audit-verify` runs the management command `audit_verify`.
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["kyokan", *args])


if __name__ == "__main__":
    main()

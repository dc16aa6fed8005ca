"""The ``studyapp`` console script: Flask's CLI with the app loaded.

Errors a deployment can cause (settings, an unmigrated database, a folder that
is not writable) end in one or two lines saying what to do, never a traceback;
``STUDYAPP_TRACEBACK=1`` (or ``studyapp --debug``) shows the traceback for
developers.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

import click
from flask import Flask
from flask.cli import FlaskGroup, ScriptInfo

_apps: list[Flask] = []


def _create_app() -> Flask:
    from studyapp import create_app

    app = create_app()
    _apps.append(app)
    return app


def studyapp_version() -> str:
    try:
        return version("studyapp")
    except PackageNotFoundError:  # running from a checkout that is not installed
        return "unknown"


class StudyAppGroup(FlaskGroup):
    """FlaskGroup whose ``--help`` says in one line why the app did not load."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands()
        names = set(click.Group.list_commands(self, ctx))
        try:
            names.update(
                ctx.ensure_object(ScriptInfo).load_app().cli.list_commands(ctx)
            )
        except Exception as exc:  # noqa: BLE001 (shown as one line; help goes on)
            from studyapp.ops.cli_errors import explain

            click.secho(explain(exc, _apps) + "\n", err=True, fg="red")
        return sorted(names)


def make_group() -> StudyAppGroup:
    from studyapp.ops.envfile import init_command

    group = StudyAppGroup(
        create_app=_create_app,
        help="StudyApp 命令行 (StudyApp command line)",
        add_version_option=False,
        load_dotenv=False,  # config.load reads STUDYAPP_CONFIG_FILE or ./.env itself
        params=[
            click.Option(
                ["--version"],
                is_flag=True,
                expose_value=False,
                is_eager=True,
                help="Show StudyApp's version and exit.",
                callback=_print_version,
            )
        ],
    )
    group.add_command(init_command)
    return group


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"StudyApp {studyapp_version()}")
        ctx.exit()


def _tracebacks_wanted() -> bool:
    words = {"1", "true", "yes", "on"}
    return (
        os.environ.get("STUDYAPP_TRACEBACK", "").lower() in words
        or os.environ.get("FLASK_DEBUG", "").lower() in words
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of ``studyapp``."""
    group = make_group()
    try:
        group.main(args=argv, prog_name="studyapp", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted!", err=True)
        sys.exit(1)
    except Exception as exc:
        if _tracebacks_wanted():
            raise
        from studyapp.ops.cli_errors import explain

        click.secho(explain(exc, _apps), err=True, fg="red")
        sys.exit(1)

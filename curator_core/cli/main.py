"""Argument parsing, plugin switches and error handling shared by every ``curator`` command.

Exit codes: 0 success; 1 a Curator error (one readable message on stderr; ``--traceback`` shows
the trace), a failed run, or ``plugins --check`` finding a problem; 2 a usage error; 130 Ctrl-C.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from typing import Any, TextIO

__all__ = ["build_parser", "main"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
DEFAULT_REPORT = "run-report.json"


def _switches(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """Plugin switches, accepted before or after the command name."""
    default: Any = argparse.SUPPRESS if suppress else None
    group = parser.add_argument_group("plugin switches (also CURATOR_* environment variables)")
    group.add_argument(
        "--no-plugins",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="load no installed plugin, only core's (CURATOR_NO_PLUGINS=1)",
    )
    group.add_argument(
        "--disable-plugin",
        action="append",
        metavar="ID",
        default=default,
        help="skip this plugin; repeatable (CURATOR_DISABLE_PLUGINS=a,b)",
    )
    group.add_argument(
        "--only-plugin",
        action="append",
        metavar="ID",
        default=default,
        help="load only these plugins (and core); repeatable (CURATOR_ONLY_PLUGINS=a,b)",
    )
    group.add_argument(
        "--strict-plugins",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="a broken, incompatible or conflicting plugin is an error (CURATOR_STRICT_PLUGINS=1)",
    )
    group.add_argument(
        "--trace-hooks",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="print every hook call to stderr (CURATOR_TRACE_HOOKS=1)",
    )
    parser.add_argument(
        "--traceback",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="show the full traceback of an error",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="curator",
        description="Curator: data-curation pipelines of stages over tasks, on interchangeable executors.",
    )
    from curator_core.__about__ import __version__

    parser.add_argument("--version", action="version", version=f"curator-core {__version__}")
    _switches(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    plugins = commands.add_parser("plugins", help="list installed plugins, their stages and executors")
    _switches(plugins, suppress=True)
    view = plugins.add_mutually_exclusive_group()
    view.add_argument(
        "--json", action="store_true", help="print the plugin report as JSON (schema: docs/writing-a-plugin.md)"
    )
    view.add_argument("--stages", action="store_true", help="list every registered stage")
    view.add_argument("--executors", action="store_true", help="list every registered executor")
    view.add_argument(
        "--stage",
        metavar="NAME",
        help="describe one stage: parameters with types and defaults, docstring, inputs/outputs, resources",
    )
    plugins.add_argument(
        "--check", action="store_true", help="exit 1 when any plugin is broken, incompatible or conflicting (for CI)"
    )

    for name, summary in (
        ("run", "run a pipeline file"),
        ("validate", "build a pipeline file's plan and print it; start nothing"),
    ):
        command = commands.add_parser(name, help=summary)
        _switches(command, suppress=True)
        command.add_argument("pipeline", metavar="PIPELINE.yaml", help="the pipeline file")
        command.add_argument("--executor", metavar="NAME", help="run on this executor instead of the file's")
        command.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            dest="overrides",
            help="override a value of the file, e.g. executor.config.mode=in_process; repeatable",
        )
        if name == "run":
            reports = command.add_mutually_exclusive_group()
            reports.add_argument(
                "--report",
                metavar="PATH",
                default=DEFAULT_REPORT,
                help=f"write the run report (JSON) here (default: {DEFAULT_REPORT} in the working folder)",
            )
            reports.add_argument("--no-report", action="store_true", help="write no run report")
            command.add_argument(
                "--checkpoint",
                metavar="PATH",
                help="record finished partitions in this folder or URL; rerun the same command to resume",
            )
            command.add_argument(
                "--discard-checkpoint",
                action="store_true",
                help="forget what --checkpoint recorded (for instance after changing the pipeline) and start over",
            )
            command.add_argument(
                "--verbose",
                action="store_true",
                help="show the executor's and engines' own logging (Ray, Xenna); quiet by default",
            )
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the ``curator`` command; returns the exit code (the console script exits with it)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    show_traceback = bool(getattr(args, "traceback", False))
    with warnings.catch_warnings():
        warnings.showwarning = _one_line_warning(err)
        try:
            _configure_plugins(args)
            return _dispatch(args, out, err)
        except KeyboardInterrupt:
            err.write("curator: interrupted\n")
            return EXIT_INTERRUPTED
        except Exception as exc:
            return _report_error(exc, err, show_traceback)


def _dispatch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.command == "plugins":
        from curator_core.cli.plugins_command import plugins_command

        return plugins_command(args, out, err)
    from curator_core.cli.pipeline_command import run_command, validate_command

    return run_command(args, out, err) if args.command == "run" else validate_command(args, out, err)


def _configure_plugins(args: argparse.Namespace) -> None:
    from curator_core.plugins.host import configure_host

    configure_host(
        no_plugins=True if getattr(args, "no_plugins", False) else None,
        disable_plugins=getattr(args, "disable_plugin", None),
        only_plugins=getattr(args, "only_plugin", None),
        strict_plugins=True if getattr(args, "strict_plugins", False) else None,
        trace_hooks=True if getattr(args, "trace_hooks", False) else None,
    )


def _report_error(exc: BaseException, err: TextIO, show_traceback: bool) -> int:
    from curator_core.errors import CuratorError

    if show_traceback:
        import traceback

        traceback.print_exception(exc, file=err)
    expected = isinstance(exc, CuratorError | OSError)
    kind = "error" if expected else f"unexpected {type(exc).__name__}"
    err.write(f"curator: {kind}: {exc}\n")
    if not show_traceback and not expected:
        # A user error says what to fix; only a surprise needs the trace.
        err.write("(run again with --traceback to see where)\n")
    return EXIT_ERROR


def _one_line_warning(err: TextIO) -> Any:
    def show(message: Warning | str, category: type[Warning], *_args: Any, **_kwargs: Any) -> None:
        err.write(f"curator: warning: {message}\n")

    return show

"""Commands that run the node: init, check, serve, demo-data."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from khronika import options
from khronika.cli import health, output
from khronika.cli.base import Command, Context, NodeNotInitialised, require_database, unapplied_migrations
from khronika.core.errors import ApplicationError, Conflict, ValidationFailed
from khronika.core.maintenance import database_optimize

SERVE_THREADS = 8


def register(commands: Any) -> None:
    init_parser = commands.add_parser(
        "init",
        help=gettext_lazy(
            "create the node home, set up the database and load reference data (safe to repeat)"
        ),
        description=gettext_lazy(
            "Create the node home (options file and secret key, never overwritten), apply database "
            "migrations and load the reference data (regions, areas of work). Safe to run again."
        ),
    )
    init_parser.set_defaults(command=Command(init, database=False, prepare=_create_home))

    check_parser = commands.add_parser(
        "check",
        help=gettext_lazy("check the configuration and the database; exit 1 if anything fails"),
        description=gettext_lazy(
            "Check the options, the secret key file, the database connection, migrations, the SQLite "
            "journal mode, the reference data and Django's system checks. Prints one line per check "
            "and exits 1 if any fails. Changes nothing."
        ),
    )
    check_parser.set_defaults(command=Command(check, database=False))

    serve_parser = commands.add_parser(
        "serve",
        help=gettext_lazy("serve the web interface and the API"),
        description=gettext_lazy(
            "Serve Khronika with waitress. The node must be initialised (`khronika init`)."
        ),
    )
    serve_parser.add_argument("--host", default="127.0.0.1", help=gettext_lazy("address to listen on"))
    serve_parser.add_argument("--port", type=int, default=8000, help=gettext_lazy("port to listen on"))
    serve_parser.set_defaults(command=Command(serve, database=False))

    demo_parser = commands.add_parser(
        "demo-data",
        help=gettext_lazy("load a made-up demonstration network and print its sign-ins"),
        description=gettext_lazy(
            "Load a made-up network of organisations, people and users for trying Khronika out. If it "
            "is loaded already, print its sign-ins again. Never use this on a node with real data."
        ),
    )
    demo_parser.add_argument("--seed", type=int, default=1968, help=gettext_lazy("seed of the made-up data"))
    demo_parser.add_argument(
        "--organisations", type=int, default=320, help=gettext_lazy("number of organisations to make")
    )
    demo_parser.set_defaults(command=Command(demo_data))


def _create_home(args: argparse.Namespace, node: options.NodeOptions) -> None:
    """Before Django reads the options: `init` makes the options file and secret key the settings use."""
    try:
        args.created = options.init_home(node.home)
    except OSError as exc:
        raise options.OptionsError(f"cannot create the node home {node.home}: {exc.strerror}") from None


def init(args: argparse.Namespace, ctx: Context) -> int:
    from django.core.management import call_command

    from khronika.accounts.sealing import seal_unsealed, sealed_models
    from khronika.directory.reference import reference_load
    from khronika.monitoring.vocabularies import vocabularies_load

    for path in args.created:
        ctx.echo(_("Created %(path)s") % {"path": path})
    if not args.created:
        ctx.echo(
            _("The node home %(home)s exists; its options and secret key are kept.")
            % {"home": ctx.options.home}
        )
    pending = unapplied_migrations()
    call_command("migrate", interactive=False, verbosity=0)
    if pending:
        ctx.echo(
            ngettext(
                "Applied %(count)d database migration.", "Applied %(count)d database migrations.", pending
            )
            % {"count": pending}
        )
    else:
        ctx.echo(_("The database is up to date."))
    counts = reference_load()
    database_optimize()
    ctx.echo(
        _(
            "Reference data: regions added or changed: %(regions)d; neighbour links added: %(neighbours)d; "
            "areas of work added or changed: %(areas)d."
        )
        % counts
    )
    loaded = vocabularies_load()
    ctx.echo(
        _(
            "Vocabularies added or changed: %(vocabularies)d; terms added or changed: %(terms)d; "
            "terms retired: %(retired)d."
        )
        % {"vocabularies": loaded.vocabularies, "terms": loaded.terms, "retired": loaded.retired}
    )
    report = seal_unsealed(sealed_models())
    if report.sealed or report.refused:
        ctx.echo(
            _(
                "Protected values found in clear and sealed now: %(sealed)d. Left in clear because nobody in "
                "their organisation can open protected values yet: %(refused)d (give someone there a role "
                "that reads them and run `khronika init` again)."
            )
            % {"sealed": report.sealed, "refused": report.refused}
        )
    ctx.echo(_("The node is ready. Next: `khronika createuser`, then `khronika serve`."))
    return 0


def check(args: argparse.Namespace, ctx: Context) -> int:
    results = health.node_checks(ctx.options)
    for result in results:
        status = "ok" if result.ok else "FAIL"
        ctx.echo(f"{status:<4}  {result.name}: {result.detail}".rstrip())
    return 0 if all(result.ok for result in results) else 1


class CannotListen(ApplicationError):
    code = "cannot_listen"
    exit_code = 2


def serve(args: argparse.Namespace, ctx: Context) -> int:
    from django.core.management import call_command

    if not options.secret_key(ctx.options.home):
        raise NodeNotInitialised()
    if not 0 < args.port < 65536:
        raise ValidationFailed(fields={"port": [_("Give a port between 1 and 65535.")]})
    require_database()
    # Copies only what changed since the last start.
    call_command("collectstatic", interactive=False, verbosity=0)
    database_optimize()
    # Lockout records past their cool-off and expired sessions (username, address, session data) go now,
    # not at the next sign-in, which on a quiet node may be weeks away.
    from khronika.accounts.services import sign_in_records_expire

    sign_in_records_expire()
    from waitress import create_server

    from khronika.wsgi import application

    try:
        server = create_server(application, host=args.host, port=args.port, threads=SERVE_THREADS)
    except OSError as exc:
        raise CannotListen(
            _("Cannot listen on the given host and port: %(reason)s") % {"reason": exc.strerror or exc}
        ) from None
    ctx.echo(_("Khronika is serving on http://%(host)s:%(port)s") % {"host": args.host, "port": args.port})
    ctx.out.flush()
    server.run()
    return 0


def demo_data(args: argparse.Namespace, ctx: Context) -> int:
    from khronika.cases.demo import demo_node_create
    from khronika.directory import demo

    try:
        network = demo_node_create(seed=args.seed, organisations=args.organisations)
    except Conflict:
        ctx.echo(_("The demonstration network is loaded already. Its sign-ins:"))
        _print_sign_ins(ctx, demo.demo_sign_ins(args.seed))
        return 0
    database_optimize()
    ctx.echo(_("Loaded the demonstration network. Its sign-ins:"))
    _print_sign_ins(ctx, network.sign_ins)
    ctx.echo()
    counts = network.counts
    if isinstance(counts, Mapping):
        ctx.echo(output.key_values((str(name), number) for name, number in counts.items()))
    else:
        ctx.echo(output.text(counts))
    return 0


def _print_sign_ins(ctx: Context, sign_ins: Any) -> None:
    from khronika.directory.demo.build import SECOND_FACTOR_NOTE

    rows = [(s.username, s.password, s.role, s.organisation) for s in sign_ins]
    ctx.echo(output.table([_("username"), _("password"), _("role"), _("organisation")], rows))
    ctx.echo(str(SECOND_FACTOR_NOTE))

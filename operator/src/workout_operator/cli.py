"""``workout-operator``: run the operator cluster-wide with its probe server."""

from __future__ import annotations

import argparse
import os

import kopf

from workout_operator import handlers  # registers the handlers
from workout_operator.settings import OperatorSettings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="workout-operator", description=__doc__)
    parser.add_argument(
        "--namespace", "-n", action="append", default=[], help="watch only these namespaces"
    )
    parser.add_argument("--verbose", action="store_true", help="debug logging")
    args = parser.parse_args(argv)
    settings = OperatorSettings.from_env()
    handlers.RUNTIME.settings = settings
    kopf.configure(verbose=args.verbose)
    kopf.run(
        clusterwide=not args.namespace,
        namespaces=list(args.namespace),
        standalone=not settings.peering,
        peering_name=settings.peering or None,
        priority=int(os.environ.get("WORKOUT_OPERATOR_PRIORITY", "0")),
    )


if __name__ == "__main__":
    main()

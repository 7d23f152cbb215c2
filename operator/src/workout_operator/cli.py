"""``workout-operator``: run the operator cluster-wide with its probe server."""

from __future__ import annotations

import argparse
import os
import socket

import kopf

from workout_operator import handlers  # registers the handlers
from workout_operator.leadership import priority_for
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
    identity = os.environ.get("POD_ID") or f"{socket.gethostname()}/{os.getpid()}"
    explicit = os.environ.get("WORKOUT_OPERATOR_PRIORITY")
    # Replicas must differ in priority: with equal ones kopf pauses every one of them.
    priority = int(explicit) if explicit else priority_for(identity)
    handlers.RUNTIME.identity = identity
    handlers.RUNTIME.priority = priority
    handlers.RUNTIME.peering_namespace = args.namespace[0] if len(args.namespace) == 1 else None
    handlers.RUNTIME.namespaces = list(args.namespace)
    kopf.configure(verbose=args.verbose)
    kopf.run(
        clusterwide=not args.namespace,
        namespaces=list(args.namespace),
        standalone=not settings.peering,
        peering_name=settings.peering or None,
        priority=priority,
        identity=identity,  # type: ignore[arg-type]
    )


if __name__ == "__main__":
    main()

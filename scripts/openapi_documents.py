"""Write the OpenAPI documents of the Workout API and the AI coach, as their apps serve them.

``make api-types`` turns them into the web app's TypeScript types; a test checks that the
committed types are what the current documents give.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def api_document() -> dict[str, Any]:
    from workout_api.main import create_app
    from workout_api.settings import Settings

    document: dict[str, Any] = create_app(Settings(environment="development")).openapi()
    return document


def coach_document() -> dict[str, Any]:
    from workout_coach.main import create_app
    from workout_coach.settings import CoachSettings

    document: dict[str, Any] = create_app(CoachSettings()).openapi()
    return document


DOCUMENTS = {"workout-api": api_document, "ai-coach": coach_document}


def write_documents(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in DOCUMENTS.items():
        path = folder / f"{name}.json"
        path.write_text(json.dumps(build(), indent=2, sort_keys=True) + "\n")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path, help="where to write <service>.json")
    for path in write_documents(parser.parse_args().folder):
        print(path)


if __name__ == "__main__":
    main()

"""Write each topic's JSON Schema file (`python -m streams.batch.schemas.publish`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from streams.batch.schemas import DECISION_SCHEMA, INPUT_SCHEMAS
from streams.batch.schemas.outputs import DEAD_LETTER_SCHEMA, ESCALATION_SCHEMA

SCHEMA_DIR = Path(__file__).parent / "json"


def documents() -> dict[str, dict[str, Any]]:
    docs = {f"{kind}.schema.json": schema.json_schema() for kind, schema in INPUT_SCHEMAS.items()}
    docs["decisions.schema.json"] = DECISION_SCHEMA.json_schema()
    docs["escalations.schema.json"] = ESCALATION_SCHEMA
    docs["deadletter.schema.json"] = DEAD_LETTER_SCHEMA
    return docs


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, sort_keys=False) + "\n"


def main() -> None:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for name, doc in documents().items():
        (SCHEMA_DIR / name).write_text(render(doc))


if __name__ == "__main__":
    main()

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.knowledge import KnowledgeBase, load_knowledge

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="session")
def engine(kb: KnowledgeBase) -> Engine:
    return Engine(kb)


def shared_file(name: str) -> Path:
    """A file of ../shared, or a clear skip where this checkout has none beside it."""
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"{path} not present: shared/ is not beside this checkout")
    return path

"""The engine kept on disk for a cold `pmbot ask` (bot/answers/cache.py): read back
when the knowledge and code are the same, rebuilt when anything differs or is off."""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.answers.cache import cache_key, cached_engine
from bot.answers.engine import Engine
from bot.answers.knowledge import load_knowledge
from tests.answers.test_live import ROOM
from tests.conftest import REPO


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    path = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", path)
    return path


def env_for(tmp_path: Path) -> dict[str, str]:
    return {"XDG_CACHE_HOME": str(tmp_path / "cache")}


def cached_file(tmp_path: Path) -> Path:
    (file,) = (tmp_path / "cache" / "pmbot").glob("engine-*.pickle")
    return file


def test_the_built_engine_is_read_back_for_the_same_knowledge(
    knowledge: Path, tmp_path: Path
) -> None:
    env = env_for(tmp_path)
    first = cached_engine(knowledge, env)
    assert first.answer("who owns the roadmap").topic == "owns-roadmap"
    file = cached_file(tmp_path)
    assert file.name == f"engine-{cache_key(knowledge)}.pickle"
    assert (file.parent.stat().st_mode & 0o777) == 0o700
    # Put another engine under the same key: what comes back is what the file holds.
    other = knowledge.parent / "other"
    other.mkdir()
    (other / "room.yaml").write_text(ROOM, encoding="utf-8")
    file.write_bytes(pickle.dumps(Engine(load_knowledge(other))))
    assert cached_engine(knowledge, env).answer("where is the kiwi room").topic == "team-room"


def test_an_edit_builds_a_new_engine_and_drops_the_old_file(
    knowledge: Path, tmp_path: Path
) -> None:
    env = env_for(tmp_path)
    cached_engine(knowledge, env)
    before = cached_file(tmp_path)
    (knowledge / "room.yaml").write_text(ROOM, encoding="utf-8")
    assert cached_engine(knowledge, env).answer("where is the kiwi room").topic == "team-room"
    assert cached_file(tmp_path) != before  # one file: the old one is gone


def test_a_corrupt_file_is_rebuilt(knowledge: Path, tmp_path: Path) -> None:
    env = env_for(tmp_path)
    cached_engine(knowledge, env)
    file = cached_file(tmp_path)
    file.write_bytes(b"\x80\x05not a pickle at all")
    assert cached_engine(knowledge, env).answer("who owns the roadmap").topic == "owns-roadmap"
    assert isinstance(pickle.loads(file.read_bytes()), Engine)


def test_a_folder_others_may_write_is_never_read(knowledge: Path, tmp_path: Path) -> None:
    env = env_for(tmp_path)
    cached_engine(knowledge, env)
    file = cached_file(tmp_path)
    file.write_bytes(b"\x80\x05not a pickle at all")
    file.parent.chmod(0o777)
    assert cached_engine(knowledge, env).answer("who owns the roadmap").topic == "owns-roadmap"
    assert file.read_bytes() == b"\x80\x05not a pickle at all"  # neither read nor written


def test_no_cache_where_it_cannot_be_kept(knowledge: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")  # a read-only home acts alike
    engine = cached_engine(knowledge, {"XDG_CACHE_HOME": str(blocked)})
    assert engine.answer("who owns the roadmap").topic == "owns-roadmap"
    assert cached_engine(knowledge, {}).answer("which pm earns more").topic == "salary"


def test_an_answer_from_the_cache_never_imports_yaml(knowledge: Path, tmp_path: Path) -> None:
    """PyYAML is the slowest import of a cold `pmbot ask`; the cached engine needs none."""
    env = env_for(tmp_path)
    cached_engine(knowledge, env)
    probe = (
        "import sys; from pathlib import Path; from bot.answers.cache import cached_engine; "
        f"e = cached_engine(Path({str(knowledge)!r}), {env!r}); "
        "print(e.answer('who owns the roadmap').topic, 'yaml' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert done.stdout.split() == ["owns-roadmap", "False"]

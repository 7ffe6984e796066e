"""The start-up cache's keys hold everything that changes what it serves: titles by file name
and content, screens by terminal encoding, config folders as written, coach's whole code."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from servicecoach import places
from servicecoach.playbooks.catalog import Catalog, builtin_folder
from servicecoach.startup import cache

from ..conftest import REPO

APOLOGY = (REPO / "playbooks" / "apology.yaml").read_text(encoding="utf-8")


def test_titles_are_keyed_by_file_name_and_content(tmp_path: Path) -> None:
    (tmp_path / "apology.yaml").write_text(APOLOGY)
    (tmp_path / "Apology.yaml").write_text(APOLOGY)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "apology.yaml").write_text(APOLOGY)
    key = cache.Titles.key
    assert key(tmp_path / "apology.yaml") != key(tmp_path / "Apology.yaml")
    assert key(tmp_path / "apology.yaml") == key(tmp_path / "other" / "apology.yaml")
    assert key(tmp_path / "missing.yaml") is None


def test_a_copy_under_another_name_does_not_spoil_the_original_title(tmp_path: Path) -> None:
    """A copy of apology.yaml named Apology.yaml does not load (its name is not an id); the
    built-in with the very same content still does, now and after the copy is gone."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "Apology.yaml").write_text(APOLOGY)
    folders = [("user", mine), ("built-in", builtin_folder())]
    titles = tmp_path / "cache"
    catalog = Catalog(folders, cache.Titles(titles))  # type: ignore[arg-type]
    assert catalog.title("Apology") is None
    assert catalog.title("apology") == "Five languages of apology"
    (mine / "Apology.yaml").unlink()
    again = Catalog(folders, cache.Titles(titles))  # type: ignore[arg-type]
    assert again.title("apology") == "Five languages of apology"
    assert again.titles.get(cache.Titles.key(builtin_folder() / "apology.yaml"))[0]  # cached


def test_a_title_cache_from_other_code_is_not_used(tmp_path: Path) -> None:
    titles = cache.Titles(tmp_path)
    key = cache.Titles.key(builtin_folder() / "apology.yaml")
    assert key is not None
    titles.put(key, ("A title another version of coach stored", {}))
    stored = (tmp_path / cache.TITLES).read_text()
    (tmp_path / cache.TITLES).write_text(stored.replace(places.PACKAGE, "/elsewhere"))
    assert cache.Titles(tmp_path).get(key) == (False, None)


class Stream(io.StringIO):
    def __init__(self, encoding: str) -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding


def test_the_terminals_encoding_is_in_a_screens_key(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = {}
    for encoding in ("utf-8", "latin-1"):
        monkeypatch.setattr(sys, "stdout", Stream(encoding))
        env = {"TERM": "xterm-256color"}
        keys[encoding] = (
            cache.card_key("/p/apology.yaml", "abc", False, "customer", 100, env),
            cache.help_key({**env, "COACH_HOME": "/nowhere"}, 100),
        )
    assert keys["utf-8"][0] != keys["latin-1"][0]
    assert keys["utf-8"][1] != keys["latin-1"][1]


def test_config_folders_are_remembered_as_written_and_found_in_each_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "coach.yaml"
    config.write_text("playbooks: [~/team, shared]\n")
    home = tmp_path / "coach-home"
    env = {"COACH_HOME": str(home), "COACH_CONFIG": str(config)}
    assert cache.playbook_folders(env) is None  # not remembered yet: the full program decides
    cache.remember_config(config, home / "cache", ["~/team", "shared"])
    for person in ("ann", "bob"):
        monkeypatch.setenv("HOME", str(tmp_path / person))
        folders = cache.playbook_folders(env)
        assert folders is not None
        assert folders[-3:-1] == [str(tmp_path / person / "team"), str(tmp_path / "shared")]
    config.write_text("playbooks: [elsewhere]\n")  # edited: remembered no more
    assert cache.playbook_folders(env) is None


def test_every_config_file_a_person_uses_is_remembered(tmp_path: Path) -> None:
    home = tmp_path / "coach-home"
    for name in ("team", "personal"):
        (tmp_path / f"{name}.yaml").write_text(f"playbooks: [{name}]\n")
        cache.remember_config(tmp_path / f"{name}.yaml", home / "cache", [name])
    for name in ("team", "personal"):
        env = {"COACH_HOME": str(home), "COACH_CONFIG": str(tmp_path / f"{name}.yaml")}
        folders = cache.playbook_folders(env)
        assert folders is not None and str(tmp_path / name) in folders


def test_a_change_anywhere_in_coachs_code_changes_the_stamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "servicecoach"
    (package / "ui").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "ui" / "cards.py").write_text("CARD = 1\n")
    monkeypatch.setattr(places, "PACKAGE", str(package))
    before = cache.code_stamp()
    stat = (package / "ui" / "cards.py").stat()
    os.utime(package / "ui" / "cards.py", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert cache.code_stamp() != before


def test_question_titles_are_read_from_the_cache_once_known(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = tmp_path / "team"
    team.mkdir()
    folders = [("team", team), ("built-in", builtin_folder())]
    titles = tmp_path / "cache"
    first = Catalog(folders, cache.Titles(titles))  # type: ignore[arg-type]
    assert first.question_titles("apology")["regret"] == "Express regret"

    def no_loading(self: Catalog, playbook_id: str) -> None:
        raise AssertionError("the playbook was loaded")

    monkeypatch.setattr(Catalog, "load", no_loading)
    again = Catalog(folders, cache.Titles(titles))  # type: ignore[arg-type]
    assert again.question_titles("apology")["regret"] == "Express regret"
    assert again.title("apology") == "Five languages of apology"
    monkeypatch.undo()
    (team / "apology.yaml").write_text(APOLOGY.replace("Express regret", "Say sorry"))
    edited = Catalog(folders, cache.Titles(titles))  # type: ignore[arg-type]
    assert edited.question_titles("apology")["regret"] == "Say sorry"

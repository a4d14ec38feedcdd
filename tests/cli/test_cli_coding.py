"""`annotate`, `codes` editing and `actors` on the command line: output, JSON, exit codes."""

from __future__ import annotations

import json

import pytest

from desktop.core.archive import Archive

QUOTE = "fragmented, applied inconsistently"
ANNOTATION_KEYS = {"id", "article_id", "start", "end", "exact", "prefix", "suffix",
                   "actor_id", "actor", "stance", "note", "anchor_state", "pinned",
                   "created_at", "updated_at", "codes", "coder", "anchored_from"}
ACTOR_KEYS = {"id", "name", "kind", "affiliation", "aliases", "annotation_count"}



def opened(demo_path) -> Archive:
    return Archive.open(demo_path)


def test_annotate_by_quote_json_matches_annotations_json(cli, demo_path):
    code, out, err = cli("annotate", "1", "--quote", QUOTE, "--code", "Talent flight",
                         "--code", "safety", "--actor", "Ada Example", "--stance", "opposes",
                         "--note", "*why*", "--json")
    assert code == 0, err
    note = json.loads(out)
    assert set(note) == ANNOTATION_KEYS
    assert note["exact"] == QUOTE and note["actor"] == "Ada Example"
    assert {c["name"] for c in note["codes"]} == {"Talent flight", "Safety"}
    assert "created the new actor 'Ada Example'" in err
    _, listed, _ = cli("annotations", "--article", "1", "--json")
    assert note in json.loads(listed)
    archive = opened(demo_path)
    assert archive.check().ok
    archive.close()


def test_annotate_records_coder_from_flag_env_or_login(cli, monkeypatch):
    monkeypatch.setattr("desktop.cli.coder.login_name", lambda: "login-person")
    monkeypatch.delenv("BRIEFING_READER_CODER", raising=False)
    coded = {}
    for label, argv in (("flag", ["--coder", "Ana"]), ("login", [])):
        code, out, err = cli("annotate", "1", "--quote", QUOTE, "--code", "Safety",
                             *argv, "--json")
        assert code == 0, err
        coded[label] = json.loads(out)
    monkeypatch.setenv("BRIEFING_READER_CODER", "  Env Coder ")
    code, out, err = cli("annotate", "1", "--quote", QUOTE, "--code", "Safety", "--json")
    assert code == 0, err
    coded["env"] = json.loads(out)
    assert {k: v["coder"] for k, v in coded.items()} == {
        "flag": "Ana", "login": "login-person", "env": "Env Coder"}
    assert len({v["id"] for v in coded.values()}) == 3  # a passage per coder


def test_annotate_by_offsets_text_output_and_reused_actor(cli, demo_path):
    archive = opened(demo_path)
    start = archive.articles.get(1).text.index(QUOTE)
    archive.close()
    code, out, err = cli("annotate", "1", "--start", str(start), "--end",
                         str(start + len(QUOTE)), "--code", "Safety", "--actor",
                         "MARK ZUCKERBERG")
    assert code == 0, err
    assert "Created annotation" in out and QUOTE in out and "Mark Zuckerberg" in out
    assert "Created the new actor" not in out
    assert "existing actor 'Mark Zuckerberg'" in err
    code, out, _ = cli("annotate", "1", "--quote", QUOTE, "--code", "Safety",
                       "--actor", "Brand New")
    assert code == 0 and "Created the new actor 'Brand New'" in out


@pytest.mark.parametrize(("argv", "message"), [
    (["--start", "0", "--end", "999999", "--code", "Safety"], "outside the article"),
    (["--quote", QUOTE, "--code", "Talnt flight"], "Did you mean 'Talent flight'"),
    (["--quote", "the", "--code", "Safety"], "occurs"),
    (["--quote", "words nowhere to be found", "--code", "Safety"], "does not occur"),
])
def test_annotate_problems_are_one_line_exit_1(cli, demo_path, argv, message):
    before = opened(demo_path)
    counts = before.counts()
    before.close()
    code, out, err = cli("annotate", "1", *argv, "--actor", "Not Created")
    assert code == 1 and out == ""
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    after = opened(demo_path)
    assert after.counts() == counts and after.actors.find("Not Created") is None
    after.close()


def test_annotate_usage_errors_exit_2(cli):
    assert cli("annotate", "1", "--start", "3", "--code", "Safety")[0] == 2
    assert cli("annotate", "1", "--quote", QUOTE, "--end", "3", "--code", "Safety")[0] == 2
    with pytest.raises(SystemExit) as stop:
        cli("annotate", "1", "--quote", QUOTE)  # --code is required
    assert stop.value.code == 2
    with pytest.raises(SystemExit):
        cli("annotate", "1", "--quote", QUOTE, "--code", "Safety", "--stance", "maybe")


def test_codes_listing_is_unchanged(cli):
    code, out, _ = cli("codes", "--json")
    codes = json.loads(out)
    assert code == 0 and set(codes[0]) == {"id", "name", "parent_id", "description", "colour",
                                           "shortcut", "sort_order", "annotation_count"}
    code, out, _ = cli("codes")
    assert code == 0 and "  Talent flight (7)" in out and "[3]" in out


def test_codes_add_with_parent_and_shortcut(cli, demo_path):
    code, out, err = cli("codes", "add", "Brain drain", "--parent", "costs of eu regulation",
                         "--colour", "#123456", "--shortcut", "3", "--description", "People")
    assert code == 0, err
    assert "under 'Costs of EU regulation'" in out and "from 'Talent flight'" in out
    codes = {c["name"]: c for c in json.loads(cli("codes", "--json")[1])}
    assert codes["Brain drain"]["shortcut"] == "3" and codes["Talent flight"]["shortcut"] is None
    assert codes["Brain drain"]["colour"] == "#123456"
    code, _, err = cli("codes", "add", "brain DRAIN", "--parent", "Costs of EU regulation")
    assert code == 1 and "already has a code named 'Brain drain'" in err
    code, _, err = cli("codes", "add", "X", "--colour", "blue")
    assert code == 1 and "#rrggbb" in err


def test_codes_rename_merge_delete(cli, demo_path):
    archive = opened(demo_path)
    passages = len(archive.annotations.all())
    archive.close()
    code, out, _ = cli("codes", "rename", "talent flight", "Brain drain")
    assert code == 0 and "to 'Brain drain'" in out
    code, _, err = cli("codes", "rename", "Brain drain", "Lost investment")
    assert code == 1 and "already has a code" in err
    code, out, _ = cli("codes", "merge", "Brain drain", "Lost investment")
    assert code == 0 and "7 passages now coded 'Lost investment'" in out
    code, _, err = cli("codes", "delete", "Costs of EU regulation")
    assert code == 1 and "used by" in err and "annotations in" in err and "--force" in err
    assert "Costs of EU regulation" in cli("codes")[1]
    code, out, _ = cli("codes", "delete", "Costs of EU regulation", "--force")
    assert code == 0 and "sub-codes" in out
    assert "Costs of EU regulation" not in cli("codes")[1]
    code, _, err = cli("codes", "delete", "No such code")
    assert code == 1 and "no code named" in err
    archive = opened(demo_path)
    assert archive.check().ok and len(archive.annotations.all()) == passages
    archive.close()


def test_codes_delete_unused_code_without_force(cli):
    cli("codes", "add", "Unused")
    code, out, _ = cli("codes", "delete", "unused")
    assert code == 0 and "Deleted code 'Unused'; 0 annotations lost it." in out


def test_actors_list_json_and_text(cli):
    code, out, _ = cli("actors", "--json")
    actors = json.loads(out)
    assert code == 0 and set(actors[0]) == ACTOR_KEYS
    mark = next(a for a in actors if a["name"] == "Mark Zuckerberg")
    assert mark["annotation_count"] > 0 and mark["aliases"] == ["Zuckerberg"]
    code, out, _ = cli("actors")
    assert code == 0 and "Mark Zuckerberg (also Zuckerberg) \u2014 Meta" in out
    assert out.rstrip().endswith(f"{len(actors)} actors")


def test_actors_add_refuses_case_and_accent_duplicates(cli):
    code, out, _ = cli("actors", "add", "José Díaz", "--kind", "person", "--affiliation",
                       "EU", "--alias", "J. Díaz", "Díaz")
    assert code == 0 and "Added actor" in out
    actors = {a["name"]: a for a in json.loads(cli("actors", "--json")[1])}
    assert actors["José Díaz"]["aliases"] == ["J. Díaz", "Díaz"]
    assert actors["José Díaz"]["affiliation"] == "EU"
    code, _, err = cli("actors", "add", "jose diaz")
    assert code == 1 and "'José Díaz'" in err
    code, _, err = cli("actors", "add", "J. DIAZ")  # an alias
    assert code == 1 and "'José Díaz'" in err


def test_actors_merge(cli):
    code, out, _ = cli("actors", "merge", "zuckerberg", "Meta")
    assert code == 0 and "into 'Meta'" in out
    actors = {a["name"]: a for a in json.loads(cli("actors", "--json")[1])}
    assert "Mark Zuckerberg" not in actors
    assert "Mark Zuckerberg" in actors["Meta"]["aliases"]
    code, _, err = cli("actors", "merge", "Nobody", "Meta")
    assert code == 1 and "no actor named 'Nobody'" in err

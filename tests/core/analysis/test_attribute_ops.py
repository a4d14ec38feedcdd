"""Article attribute operations: the bulk edit and its exact undo, define/rename/delete,
values read as their kind."""

from __future__ import annotations

import pytest

from desktop.core.errors import DuplicateName, NotFound
from desktop.core.model import ImportedDocument
from desktop.core.ops import attributes as ops
from desktop.core.ops.attributes import AttributeValueError, clean_value


@pytest.fixture
def articles(archive):
    ids = []
    for index in range(6):
        _, article_id = archive.articles.save(ImportedDocument(
            title=f"A{index}", text=f"Text number {index}.", origin=f"t:{index}"))
        ids.append(article_id)
    return ids


def _rows(archive):
    """Every attribute and value row, as the tables hold them."""
    attributes = [(a.id, a.name, a.kind, a.sort_order) for a in archive.attributes.all()]
    values = {a.id: sorted(archive.attributes.values_of(a.id, archive.articles.ids()).items())
              for a in archive.attributes.all()}
    return attributes, values


def test_bulk_set_then_undo_gives_each_article_its_own_old_value(archive, articles):
    ops.set_attribute(archive, "country", articles[:2], "FR")
    ops.set_attribute(archive, "country", articles[2:3], "UK")
    before = _rows(archive)
    result = ops.set_attribute(archive, "Country", articles, "  DE ")
    assert result.value == 6 and result.changes.attributes
    assert result.changes.article_ids == frozenset(articles)
    country = archive.attributes.find("country").id
    assert set(archive.attributes.values_of(country, articles).values()) == {"DE"}
    redo = result.inverse(archive)
    assert _rows(archive) == before  # FR, FR, UK and three without a value, as before
    redo.inverse(archive)
    assert set(archive.attributes.values_of(country, articles).values()) == {"DE"}


def test_setting_a_new_attribute_defines_it_and_undo_removes_it(archive, articles):
    result = ops.set_attribute(archive, "outlet type", articles[1:4], "tabloid")
    attribute = archive.attributes.find("Outlet Type")
    assert attribute is not None and attribute.article_count == 3
    restore = result.inverse(archive)
    assert archive.attributes.all() == []
    restore.inverse(archive)
    again = archive.attributes.find("outlet type")
    assert again == attribute  # same id, name, kind, order and count
    assert archive.attributes.values_of(again.id, articles) == dict.fromkeys(articles[1:4],
                                                                              "tabloid")


def test_clear_removes_values_and_undo_puts_them_back(archive, articles):
    ops.set_attribute(archive, "country", articles, "DE")
    ops.set_attribute(archive, "country", articles[:1], "FR")
    before = _rows(archive)
    result = ops.clear_attribute(archive, "country", articles[:3])
    assert result.value == 3
    assert archive.attributes.find("country").article_count == 3
    result.inverse(archive)
    assert _rows(archive) == before


def test_setting_the_same_value_again_is_no_undo_step(archive, articles):
    ops.set_attribute(archive, "country", articles, "DE")
    result = ops.set_attribute(archive, "country", articles, "DE")
    assert result.value == 0 and result.inverse is None


def test_define_rename_delete_and_their_inverses(archive, articles):
    define = ops.define_attribute(archive, "size", "number")
    size = define.value
    ops.set_attribute(archive, "size", articles[:2], "1,5")
    assert archive.attributes.values_of(size, articles) == dict.fromkeys(articles[:2], "1.5")
    rename = ops.rename_attribute(archive, size, "Length")
    assert archive.attributes.get(size).name == "Length"
    rename.inverse(archive)
    assert archive.attributes.get(size).name == "size"
    before = _rows(archive)
    delete = ops.delete_attribute(archive, size)
    assert archive.attributes.all() == []
    delete.inverse(archive)
    assert _rows(archive) == before
    with pytest.raises(DuplicateName):
        ops.define_attribute(archive, "SIZE")


def test_changing_the_kind_checks_existing_values(archive, articles):
    ops.set_attribute(archive, "code", articles[:1], "abc")
    ops.set_attribute(archive, "rank", articles[:2], "7")
    code, rank = archive.attributes.find("code"), archive.attributes.find("rank")
    with pytest.raises(AttributeValueError, match="holds numbers"):
        ops.update_attribute(archive, code.id, kind="number")
    assert archive.attributes.get(code.id).kind == "text"
    result = ops.update_attribute(archive, rank.id, kind="number")
    assert archive.attributes.get(rank.id).kind == "number"
    result.inverse(archive)
    assert archive.attributes.get(rank.id).kind == "text"


@pytest.mark.parametrize(("value", "kind", "stored"), [
    ("  Northern   Europe ", "text", "Northern Europe"),
    ("3", "number", "3"), ("2.50", "number", "2.5"), ("4,0", "number", "4"),
    ("2024-03-05T10:00", "date", "2024-03-05"),
    ("Yes", "boolean", "true"), ("0", "boolean", "false"),
])
def test_values_are_stored_in_one_spelling_per_kind(value, kind, stored):
    assert clean_value(value, kind) == stored


@pytest.mark.parametrize(("value", "kind", "message"), [
    ("", "text", "needs a value"), ("many", "number", "holds numbers"),
    ("March", "date", "YYYY-MM-DD"), ("perhaps", "boolean", "yes or no"),
])
def test_values_that_do_not_read_as_their_kind_are_refused(value, kind, message):
    with pytest.raises(AttributeValueError, match=message):
        clean_value(value, kind, "x")


def test_bad_bulk_edits_are_named(archive, articles):
    with pytest.raises(NotFound, match="no article with id 999"):
        ops.set_attribute(archive, "country", [articles[0], 999], "DE")
    assert archive.attributes.all() == []  # nothing was defined on the way
    with pytest.raises(AttributeValueError, match="Select the articles"):
        ops.set_attribute(archive, "country", [], "DE")
    with pytest.raises(NotFound, match="no attribute named 'colour' to clear"):
        ops.clear_attribute(archive, "colour", articles)


def test_values_vanish_with_their_article(archive, articles):
    ops.set_attribute(archive, "country", articles, "DE")
    archive.articles.delete([articles[0]])
    assert archive.attributes.find("country").article_count == 5
    assert archive.attributes.of_article(articles[1])[0][1] == "DE"


def test_undoing_an_article_delete_gives_its_attribute_values_back(archive, articles):
    from desktop.core.ops.articles import delete_articles

    ops.set_attribute(archive, "country", articles[:2], "DE")
    ops.set_attribute(archive, "size", articles[:1], "3", kind="number")
    before = _rows(archive)
    result = delete_articles(archive, articles[:2])
    assert archive.attributes.find("country").article_count == 0
    result.inverse(archive)
    assert _rows(archive) == before


def test_the_demo_has_attributes_to_group_by(demo_archive):
    names = {a.name: a.article_count for a in demo_archive.attributes.all()}
    total = demo_archive.articles.count()
    assert names == {"format": total, "outlet type": total}

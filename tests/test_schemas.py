import pyarrow as pa
import pytest

from compendium_corpus.schemas.arrow import arrow_schema
from compendium_corpus.schemas.tables import TABLES, Diagnostic, Figure, Paper, Paragraph


def test_footnote_refs_is_list_of_int32_structs():
    field = arrow_schema(Paragraph).field("footnote_refs")
    assert not field.nullable
    item = field.type.value_field
    assert item.type == pa.struct(
        [pa.field("number", pa.int32(), nullable=False), pa.field("offset", pa.int32(), nullable=False)]
    )


def test_int32_and_nullability():
    papers = arrow_schema(Paper)
    assert papers.field("page_start").type == pa.int32()
    assert not papers.field("page_start").nullable
    assert papers.field("chapter_id").nullable
    assert papers.field("title").type == pa.string()


def test_optional_int32_stays_int32_and_nullable():
    page = arrow_schema(Diagnostic).field("page")
    assert page.type == pa.int32() and page.nullable


def test_literal_is_string_and_nested_list():
    assert arrow_schema(Paragraph).field("kind").type == pa.string()
    rows = arrow_schema(Figure).field("rows").type
    assert rows.value_type.value_type == pa.string()


@pytest.mark.parametrize("name", list(TABLES))
def test_every_field_mapped(name):
    model = TABLES[name]
    schema = arrow_schema(model)
    assert schema.names == list(model.model_fields)
    assert schema.field("doc_id").type == pa.string()

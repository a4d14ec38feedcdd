"""Charts: specs that survive a briefing, figures whose bars count what Python counts, files
that are valid PNG and SVG, and charts drawn into briefings (preview, PDF, DOCX)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

import pypdf
import pytest
from PIL import Image

from desktop.core.analysis.chart_spec import ChartError, ChartSpec
from desktop.core.analysis.charts import (
    chart_colour,
    compute_chart,
    draw,
    draw_timeline,
    forget_charts,
    render_chart,
    write_chart,
)
from desktop.core.analysis.drilldown import passages_behind
from desktop.core.analysis.scope import AnalysisScope, ScopeError
from desktop.core.analysis.timeline import timeline
from desktop.core.briefing.export import export_briefing
from desktop.core.briefing.markdown_html import render_body
from desktop.core.briefing.render import render_preview
from desktop.core.briefing.sanitize import sanitize_html
from desktop.core.colours import hex_rgb, oklab
from desktop.core.ops.briefings import add_briefing
from tests.core.analysis.debate import build_debate, facts


@pytest.fixture
def debate(archive):
    build_debate(archive)
    return archive


# -- specs -----------------------------------------------------------------------------------


def test_a_spec_survives_its_markdown_text_with_scope_and_options():
    scope = AnalysisScope(query='code:"Talent flight" (brussels OR paris)', collection_id=3,
                          saved_search_id=7, date_from="2024-02", date_to="2024",
                          attributes=(("Country", "Sweden & Co"), ("Type", "a=b")))
    spec = ChartSpec("timeline", scope, (("interval", "quarter"), ("split", "stance"),
                                         ("normalise", "1")), "Brain drain (by quarter)")
    markdown = spec.markdown()
    assert markdown.startswith("![Brain drain (by quarter)](chart:timeline?")
    src = markdown[markdown.index("](") + 2:-1]
    assert " " not in src and ")" not in src  # one Markdown link destination
    again = ChartSpec.from_src(src, "Brain drain (by quarter)")
    assert again == spec
    assert again.scope.date_to == "2024-12-31"
    assert again.option("interval") == "quarter" and again.flag("normalise")


def test_defaults_are_left_out_of_the_text():
    assert ChartSpec("matrix").to_src() == "chart:matrix"
    assert ChartSpec("matrix", options=(("rows", "outlet"),)).to_src() == \
        "chart:matrix?rows=outlet"


@pytest.mark.parametrize(("src", "words"), [
    ("chart:pie", "Unknown chart"),
    ("chart:timeline?interval=decade", "interval"),
    ("chart:timeline?colour=red", "no option 'colour'"),
    ("chart:matrix?rows=planet", "rows"),
    ("chart:matrix?limit=0", "limit"),
    ("chart:cooccurrence?codes=1,x", "code ids"),
    ("chart:timeline?collection=one", "not a number"),
    ("chart:timeline?attr=novalue", "name=value"),
    ("file:///etc/passwd", "not a chart reference"),
])
def test_a_spec_we_did_not_write_is_refused_with_a_reason(src, words):
    with pytest.raises(ChartError) as caught:
        ChartSpec.from_src(src)
    assert words in str(caught.value)


def test_a_bad_date_in_a_spec_is_the_scope_s_error():
    with pytest.raises(ScopeError):
        ChartSpec.from_src("chart:timeline?from=yesterday")


# -- the drawings count what Python counts ---------------------------------------------------


def test_every_timeline_bar_links_to_as_many_passages_as_it_is_tall(debate):
    result = timeline(debate, AnalysisScope(), interval="quarter")
    drawn = draw_timeline(result)
    heights: Counter = Counter()
    for segment in drawn.segments:
        link = segment.link
        ids = set()
        for keys in link.keys:
            ids |= set(passages_behind(debate, AnalysisScope(), keys))
        assert round(segment.height) == len(ids), link.caption
        middle = (segment.bottom + segment.top) / 2  # a click there finds this segment
        assert drawn.link_at(segment.axes, segment.x + 0.2, middle) is link
        for keys in link.keys:
            heights[(keys.code_id, keys.period)] += len(
                passages_behind(debate, AnalysisScope(), keys))
    expected: Counter = Counter()
    for fact in facts(debate):
        if fact.published is None:
            continue
        for code in fact.codes:
            year, month = int(fact.published[:4]), int(fact.published[5:7])
            expected[(code, f"{year}-{(month - 1) // 3 * 3 + 1:02d}-01")] += 1
    assert heights == expected


def test_split_by_stance_draws_stance_segments_linking_to_that_stance(debate):
    spec = ChartSpec("timeline", options=(("split", "stance"),))
    drawn = draw(compute_chart(debate, spec), spec)
    stances = {keys.stance for segment in drawn.segments for keys in segment.link.keys}
    assert stances and stances <= {"supports", "opposes", "neutral", "unclear", "none"}
    assert len(drawn.figure.axes) >= 2  # a panel per code


def test_normalised_bars_are_passages_per_article_published(debate):
    result = timeline(debate, AnalysisScope(), interval="quarter", normalise=True)
    drawn = draw_timeline(result)
    values = {(s.code_id, p.key): s.values[i] for s in result.series
              for i, p in enumerate(result.periods)}
    articles = {p.key: p.articles for p in result.periods}
    for segment in drawn.segments:
        keys = segment.link.keys[0]
        assert segment.height == pytest.approx(values[(keys.code_id, keys.period)])
        count = len(passages_behind(debate, AnalysisScope(), keys))
        assert segment.height == pytest.approx(count / articles[keys.period])
    assert drawn.figure.axes[0].get_ylabel() == "Passages per argument per article"


def test_a_click_beside_the_bars_finds_nothing(debate):
    drawn = draw_timeline(timeline(debate, AnalysisScope(), interval="quarter"))
    segment = drawn.segments[0]
    assert drawn.link_at(segment.axes, segment.x + 0.5, segment.bottom) is None
    assert drawn.link_at(segment.axes, segment.x, segment.top + 1000) is None
    assert drawn.link_at(None, segment.x, segment.bottom) is None


def test_an_empty_scope_is_a_sentence_not_an_empty_chart(debate):
    spec = ChartSpec("timeline", AnalysisScope(query="zzzunfindable"))
    with pytest.raises(ChartError) as caught:
        render_chart(debate, spec, "png")
    assert "passages in this scope" in str(caught.value)


# -- files -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["timeline", "matrix", "cooccurrence"])
def test_png_export_is_a_png_of_a_sensible_size(debate, tmp_path, kind):
    path = write_chart(debate, ChartSpec(kind), tmp_path / f"{kind}.png")
    image = Image.open(path)
    image.verify()
    assert image.format == "PNG"
    assert image.size[0] >= 600 and image.size[1] >= 400


def test_svg_export_is_svg_with_the_code_names_as_text(debate, tmp_path):
    path = write_chart(debate, ChartSpec("matrix"), tmp_path / "matrix.svg")
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = {"".join(t.itertext()).strip() for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"Talent flight", "Sovereignty", "Jane Doe"} <= texts


def test_an_unwritable_export_path_is_a_clear_error(debate, tmp_path):
    with pytest.raises(ChartError) as caught:
        write_chart(debate, ChartSpec("timeline"), tmp_path / "missing" / "chart.png")
    assert "Could not write" in str(caught.value) and "chart.png" in str(caught.value)


def test_code_colours_are_softened_into_a_band_that_reads_on_paper():
    for loud in ("#12EAA3", "#59DBF9", "#FFFF00", "#000000", "#1187EE"):
        lightness = oklab(hex_rgb(chart_colour(loud)))[0]
        assert 0.49 <= lightness <= 0.75, loud
    assert chart_colour("not a colour") == "#7d8a96"


# -- in a briefing -----------------------------------------------------------------------------


def test_the_sanitiser_keeps_a_chart_image_but_no_chart_link():
    html = sanitize_html('<img src="chart:timeline?interval=week" alt="x">'
                         '<a href="chart:timeline">a</a>')
    assert 'src="chart:timeline?interval=week"' in html
    assert 'href' not in html


def test_a_chart_is_drawn_into_the_preview_and_a_broken_one_is_explained(debate):
    body = "Intro\n\n![Over time](chart:timeline?interval=quarter)\n\n![Pie](chart:pie)\n"
    rendered = render_body(body, archive=debate, target="preview")
    images = list(rendered.root.iter("img"))
    assert len(images) == 1
    assert images[0].get("src").startswith("data:image/png;base64,")
    assert "chart" in images[0].get("class")
    assert any("Pie" in w and "Unknown chart" in w for w in rendered.warnings)
    notes = [el.text for el in rendered.root.iter("span") if el.get("class") == "missing-image"]
    assert any("Pie" in note for note in notes)


def test_a_heading_just_above_a_chart_stays_with_it_on_the_page(debate):
    """A chart often starts a new page; its heading must go there with it, not stay alone
    at the foot of the page before (seen in an exported PDF)."""
    body = ("# Over time\n\n![Over time](chart:timeline)\n\n# Words\n\nText.\n\n"
            "![Again](chart:timeline)\n")
    rendered = render_body(body, archive=debate, target="pdf")
    [block] = rendered.root.xpath(".//div[@class='keep-with-chart']")
    assert [child.tag for child in block] == ["h1", "p"]
    assert block[0].text_content().endswith("Over time")
    assert block[1][0].get("alt") == "Over time"
    # a chart after a paragraph needs no block; the preview has no pages
    assert len(rendered.root.xpath(".//img[@class='chart']")) == 2
    preview = render_body(body, archive=debate, target="preview")
    assert not preview.root.xpath(".//div[@class='keep-with-chart']")


def test_a_chart_without_its_archive_says_so():
    rendered = render_body("![Over time](chart:timeline)", archive=None, target="preview")
    assert not list(rendered.root.iter("img"))
    assert "drawn when the briefing is rendered" in rendered.root.text_content()


def test_the_exported_pdf_holds_the_chart_as_vector_text(debate, tmp_path):
    spec = ChartSpec("matrix", title="Who argues what")
    briefing_id = add_briefing(debate, "Charted", f"# Charted\n\nSee:\n\n{spec.markdown()}\n"
                               ).value
    report = export_briefing(debate, briefing_id, tmp_path / "charted.pdf")
    assert not report.warnings
    text = "".join(page.extract_text() for page in pypdf.PdfReader(report.path).pages)
    assert "Who argues what" in text and "Jane Doe" in text and "net stance" in text


def test_the_exported_docx_holds_the_chart_as_a_picture(debate, tmp_path):
    import docx

    briefing_id = add_briefing(debate, "Charted", f"{ChartSpec('timeline').markdown()}\n"
                               ).value
    report = export_briefing(debate, briefing_id, tmp_path / "charted.docx")
    document = docx.Document(str(report.path))
    assert len(document.inline_shapes) == 1


def test_preview_redraws_the_chart_from_the_archive_as_it_is_now(debate):
    briefing_id = add_briefing(debate, "Live", f"{ChartSpec('timeline').markdown()}\n").value
    before = render_preview(debate, debate.briefings.get(briefing_id)).html
    again = render_preview(debate, debate.briefings.get(briefing_id)).html
    assert before == again  # the same numbers: the same drawing (cached)
    passage = debate.annotations.all()[0]
    debate.annotations.delete([passage.id])
    assert render_preview(debate, debate.briefings.get(briefing_id)).html == before
    forget_charts(debate)  # what the window does when the archive changed
    after = render_preview(debate, debate.briefings.get(briefing_id)).html
    assert after != before and "data:image/png;base64," in after


def test_the_other_codes_bar_is_as_tall_as_the_passages_it_lists(debate):
    """A passage with two of the merged codes is one passage in the "Other codes" layer,
    and the axis says the code layers count a passage in each of its codes."""
    result = timeline(debate, AnalysisScope(), interval="quarter", stacked_codes=2)
    drawn = draw_timeline(result)
    others = [s for s in drawn.segments if len(s.link.keys) > 1]
    assert others
    taller = False
    for segment in others:
        listed = set()
        for keys in segment.link.keys:
            listed |= set(passages_behind(debate, AnalysisScope(), keys))
        assert segment.height == pytest.approx(len(listed))
        taller |= sum(len(passages_behind(debate, AnalysisScope(), k))
                      for k in segment.link.keys) > len(listed)
    assert taller
    assert drawn.figure.axes[0].get_ylabel() == "Passages per argument"
    texts = [t.get_text() for t in drawn.figure.texts]
    assert any("A passage with two arguments counts in each" in t for t in texts)


@pytest.mark.parametrize("kind", ["timeline", "matrix", "cooccurrence"])
def test_briefing_charts_are_drawn_at_the_page_width_with_type_at_its_size(debate, kind):
    """The preview shrank an 8-inch drawing into 600 px (unreadable type), and the PDF put a
    narrow matrix in half the page with a squashed colour bar."""
    import base64
    import io
    import re

    from desktop.core.analysis.charts import PAGE_WIDTH, PREVIEW_WIDTH, chart_data_uri

    spec = ChartSpec(kind, AnalysisScope(date_from="2023-01", date_to="2023-06"))
    uri = chart_data_uri(debate, spec.to_src(), "T", "png")
    with Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))) as image:
        assert image.width <= PREVIEW_WIDTH * 1.05  # shown at its size, not shrunk
    svg = base64.b64decode(chart_data_uri(debate, spec.to_src(), "T", "svg").split(",", 1)[1])
    width = float(re.search(rb'width="([\d.]+)pt"', svg).group(1))
    assert width >= 0.85 * PAGE_WIDTH * 72  # about the text width, not half of it
    drawn = draw(compute_chart(debate, spec), spec, page=True)
    if kind == "matrix":
        bar = drawn.figure.axes[-1]
        assert bar.get_position().height * drawn.figure.get_figheight() >= 1.2  # inches

"""Cleaning: boilerplate never reaches the coded text; dates and publishers are found."""

from __future__ import annotations

from datetime import date

import pytest

from fieldreport.config import Settings
from fieldreport.errors import Reject
from fieldreport.records import Page
from fieldreport.stages.clean import clean_page, decode, parse_dateline

BODY = """
<p>BASRA, Iraq - Hundreds of protesters gathered outside the provincial council building in Basra on
Sunday to demand reliable electricity, as summer temperatures climbed above 45 degrees Celsius.</p>
<p>The demonstrators chanted slogans against the local government and carried banners blaming officials
for corruption. Police watched from a distance and the rally ended peacefully, witnesses said.</p>
<p>Power cuts of up to twenty hours a day have hit the southern province for weeks, residents said.</p>
"""


def page_html(head: str = "", dateline: str = "", body: str = BODY) -> str:
    return f"""<!doctype html><html><head><title>Protesters rally in Basra over power cuts</title>{head}</head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/iraq">Iraq</a></li></ul></nav>
<div class="adblock">We noticed you're using an ad blocker. Please whitelist us.</div>
<article><h1>Protesters rally in Basra over power cuts</h1><p class="dateline">{dateline}</p>{body}
<div class="share">Share on Facebook Twitter WhatsApp</div></article>
<aside><h3>Trending Now</h3><ul>
<li><a href="/a">Gunmen kill 12 in attack on Nigerian village</a></li>
<li><a href="/b">Air strikes pound rebel positions in Yemen's Saada province</a></li></ul></aside>
<aside><h3>ALSO READ</h3><ul><li><a href="/c">Suicide bomber kills 30 at Kabul wedding</a></li></ul></aside>
<footer>(c) 2016 Gulf Wire. All rights reserved.</footer></body></html>"""


def clean(html: str, **page: str) -> object:
    return clean_page(Page("story.html", "0" * 64, html.encode("utf-8"), "html", **page), Settings())


def test_trending_and_also_read_headlines_never_reach_the_text() -> None:
    article = clean(page_html())
    for trap in ("Nigerian village", "Yemen", "Kabul wedding", "ad blocker", "Share on Facebook", "Home"):
        assert trap not in article.text
    assert "provincial council building in Basra" in article.text


@pytest.mark.parametrize(
    "head, dateline, expected",
    [
        ('<meta property="article:published_time" content="2016-05-02T08:15:00+03:00">', "", "2016-05-02"),
        ("", "2016/05/02 | 08:15", "2016-05-02"),
        ("", "March 3, 2015", "2015-03-03"),
        ("", "Posted: 12.01.2016", "2016-01-12"),
        ("", "Published on 14 Oct 2017, 09:40 GMT", "2017-10-14"),
    ],
)
def test_publication_date_from_metadata_or_dateline(head: str, dateline: str, expected: str) -> None:
    assert clean(page_html(head, dateline)).published == expected


def test_input_date_and_publisher_win_over_the_page() -> None:
    head = '<meta property="og:site_name" content="Gulf Wire">'
    article = clean(page_html(head, "March 3, 2015"), published="2015-03-04", publisher="Wire Copy")
    assert (article.published, article.publisher) == ("2015-03-04", "Wire Copy")


def test_publisher_from_site_metadata() -> None:
    head = '<meta property="og:site_name" content="The Tigris Times">'
    assert clean(page_html(head)).publisher == "The Tigris Times"


def test_no_date_anywhere_is_null() -> None:
    assert clean(page_html()).published is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Posted: 12.01.2016 by staff; updated 2016/02/01", "2016-01-12"),
        ("Baghdad, 3 March 2015 - ", "2015-03-03"),
        ("Sept. 9, 2014", "2014-09-09"),
        ("Copyright 2099/01/01", None),
        ("no date here", None),
    ],
)
def test_parse_dateline(text: str, expected: str | None) -> None:
    assert parse_dateline(text, today=date(2026, 11, 23)) == expected


def test_french_page_is_not_english() -> None:
    french = "<p>" + " ".join(["Le temps sera ensoleillé demain dans toute la région avec des températures"
                               " agréables pour la saison selon les services météorologiques."] * 8) + "</p>"
    with pytest.raises(Reject) as caught:
        clean(page_html(body=french))
    assert caught.value.code == "NOT_ENGLISH"


def test_teaser_page_is_too_short() -> None:
    with pytest.raises(Reject) as caught:
        clean(page_html(body="<p>Developing story.</p>"))
    assert caught.value.code == "TOO_SHORT"


@pytest.mark.parametrize(
    "raw, code",
    [
        (b"\x00\x01\x02binary", "NOT_HTML"),
        (bytes(range(128, 256)) * 40, "ENCODING"),
    ],
)
def test_undecodable_bytes(raw: bytes, code: str) -> None:
    with pytest.raises(Reject) as caught:
        decode(raw, "html")
    assert caught.value.code == code


def test_latin1_page_with_declared_charset_decodes() -> None:
    raw = '<meta charset="iso-8859-1"><p>Caf\u00e9 bombing in Aleppo</p>'.encode("latin-1")
    assert "Café" in decode(raw, "html")


def test_plain_text_file_first_line_is_title() -> None:
    body = ("Clashes near Tikrit\n\nTIKRIT, Iraq - Iraqi troops clashed with Islamic State militants "
            "north of Tikrit on Tuesday, killing five fighters, officials said. " * 3)
    article = clean_page(Page("clash.txt", "1" * 64, body.encode(), "text"), Settings())
    assert article.title == "Clashes near Tikrit"
    assert article.text.startswith("TIKRIT, Iraq")


@pytest.mark.parametrize("teaser", ["READ MORE: Bomb blast at Pakistani market kills 22",
                                    "ALSO READ | Taliban seize district centre in Kunduz",
                                    "Related: Air strikes pound rebel positions in Yemen"])
def test_teaser_lines_inside_the_story_body_are_dropped(teaser: str) -> None:
    body = BODY.replace("<p>The demonstrators", f"<p>{teaser}</p><p>The demonstrators")
    article = clean(page_html(body=body))
    assert teaser.split(" ", 2)[-1][:20] not in article.text
    assert "The demonstrators chanted" in article.text


def test_teaser_beside_a_long_trending_list_is_too_short_not_the_list() -> None:
    headlines = "".join(f'<li><a href="/n{i}">Gunmen kill {i + 5} villagers in raid on market town number {i}'
                        f" in northern Nigeria, officials say</a></li>" for i in range(15))
    html = page_html(body="<p>Developing story.</p>").replace(
        "<aside><h3>Trending Now</h3><ul>", f"<aside><h3>Trending Now</h3><ul>{headlines}")
    with pytest.raises(Reject) as caught:
        clean(html)
    assert caught.value.code == "TOO_SHORT"


def test_story_after_a_long_link_block_is_still_found() -> None:
    links = "".join(f'<li><a href="/s{i}">Section {i} news and more headlines</a></li>' for i in range(120))
    html = page_html().replace("<article>", f"<div class='mega-menu'><ul>{links}</ul></div><article>")
    assert "provincial council building in Basra" in clean(html).text

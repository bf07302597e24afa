"""Web pages through trafilatura (issue 14 item 5): the story, not the teaser card or the
boilerplate; title, date and author kept. The pages are invented here; nothing is fetched."""

from __future__ import annotations

from pathlib import Path

from annotator.core.io.documents import read_document

STORY = [
    "Gunmen stormed an army camp in Tessit on Sunday, the army said in a statement on Monday.",
    "The statement said twelve soldiers were killed and several others were wounded in the attack.",
    "A local official, who asked not to be named, said the attackers arrived on motorcycles at dawn.",
    "No group has claimed responsibility for the attack so far, according to the official.",
    "The camp had been attacked twice before this year, residents of the town told reporters.",
]

TEASER_PAGE = """<!doctype html><html><head><title>Attack on Tessit | Sahel Monitor</title>
<meta name="author" content="Awa Traoré">
<meta property="article:published_time" content="2023-12-05T08:00:00Z"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sahel">Sahel</a></nav></header>
<article class="card teaser"><h2><a href="/other">Read also: floods in Mopti</a></h2></article>
<main><article class="story"><h1>Gunmen storm army camp in Tessit</h1>
""" + "".join(f"<p>{s}</p>\n" for s in STORY) + """</article></main>
<aside><h3>Most read</h3><ul><li>Election results</li><li>Football scores</li></ul></aside>
<footer><p>© 2023 Sahel Monitor. All rights reserved.</p><p>Subscribe to our newsletter</p></footer>
<script>track("page")</script></body></html>"""

BOILERPLATE = ["Skip to content", "Home | News | Sport | Weather | Contact", "Share on Facebook",
               "Share on Twitter", "Related: Rains flood Niamey",
               "We use cookies to improve your experience. Accept all cookies",
               "Copyright 2023 Gao News. Terms of use. Privacy policy.", "Subscribe now for 1 euro"]
DIV_STORY = [
    "A military convoy was ambushed near Gao on Saturday, security sources said on Sunday.",
    "The sources said four soldiers were killed and two vehicles were destroyed by an explosive device.",
    "An armed group later claimed the attack in a statement posted online by its media outlet.",
]
DIV_PAGE = ("<html><head><title>Convoy ambushed near Gao</title><meta name=\"date\" content=\"2023-11-20\">"
            "</head><body>" + "".join(f'<div class="x{i}">{b}</div>' for i, b in enumerate(BOILERPLATE[:4]))
            + '<div id="content"><div class="body">' + "".join(f"<div>{s}</div>" for s in DIV_STORY)
            + "</div></div>" + "".join(f'<div class="y{i}">{b}</div>' for i, b in enumerate(BOILERPLATE[4:]))
            + "</body></html>")


def test_the_story_after_a_teaser_card(tmp_path: Path) -> None:
    page = tmp_path / "tessit.html"
    page.write_text(TEASER_PAGE, "utf-8")
    doc = read_document(page)
    assert all(s in doc.text for s in STORY)  # 5 of 5 story sentences
    for noise in ("Home", "Most read", "Football scores", "All rights reserved", "newsletter", "track("):
        assert noise not in doc.text
    assert doc.title == "Gunmen storm army camp in Tessit"
    assert doc.published == "2023-12-05"
    assert doc.meta["author"] == "Awa Traoré"


def test_a_div_page_without_its_boilerplate(tmp_path: Path) -> None:
    page = tmp_path / "gao.html"
    page.write_text(DIV_PAGE, "utf-8")
    doc = read_document(page)
    assert all(s in doc.text for s in DIV_STORY)
    kept = [b for b in BOILERPLATE if b in doc.text]
    assert kept == []  # 0 of 8 boilerplate lines
    assert doc.published == "2023-11-20" and doc.title == "Convoy ambushed near Gao"


def test_a_page_without_text_is_refused(tmp_path: Path) -> None:
    import pytest

    from annotator.core.io.textfile import ImportProblem

    page = tmp_path / "nav.html"
    page.write_text("<html><body><script>x()</script><img src='a.png'></body></html>", "utf-8")
    with pytest.raises(ImportProblem, match="no text"):
        read_document(page)

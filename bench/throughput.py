"""Throughput of the pipeline on realistic pages, and its cost over bare spaCy.

    python bench/throughput.py [--conflict 20] [--mix 200] [--share 0.05] [--workers 2]

Generates a corpus from our own page templates: conflict pages from the demo
corpus (src/fieldreport/data/demo/), non-conflict pages (sport, business,
weather, science, culture, health, technology) from data/relevance_examples.yaml,
each 600-1,000 words of article text inside 50-100 KB of HTML (navigation,
scripts, styles, link lists and a footer, as news sites serve them). Prints:

  * pages per second per core, single process, conflict-only and mixed;
  * the time split by stage (Coded.timings);
  * full pipeline time / a bare ``nlp.pipe`` pass over the same clean texts;
  * mixed-corpus throughput / conflict-only throughput;
  * the local process pool: pages per second per core and peak memory per worker.

Figures depend on the machine and its load; run it on an idle machine.
"""

from __future__ import annotations

import argparse
import html
import random
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from importlib import resources as package_files
from pathlib import Path

import yaml

from fieldreport.config import Settings
from fieldreport.demo import demo_corpus
from fieldreport.errors import Reject
from fieldreport.pipeline import process
from fieldreport.records import Page
from fieldreport.resources import load_resources

SECTIONS = ["World", "Middle East", "Africa", "Asia", "Business", "Sport", "Culture", "Science", "Health",
            "Opinion", "Video", "Podcasts", "Weather", "Travel", "Technology"]


def demo_paragraphs() -> list[tuple[str, list[str]]]:
    """The headline and article paragraphs of every demo HTML page (our own writing)."""
    from lxml import html as lxml_html

    stories = []
    for path in sorted(demo_corpus().glob("*.html")):
        tree = lxml_html.fromstring(path.read_bytes())
        paras = [p.text_content().strip() for p in tree.xpath("//article//p")]
        paras = [p for p in paras if len(p.split()) > 12]
        headline = tree.xpath("string(//h1)").strip() or tree.findtext(".//title") or "News"
        if paras:
            stories.append((headline, paras))
    return stories


def topic_paragraphs() -> dict[str, list[str]]:
    path = package_files.files("fieldreport") / "data" / "relevance_examples.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["topics"]


def _boilerplate(rng: random.Random, target_bytes: int, body_bytes: int) -> tuple[str, str]:
    """Head (styles, scripts) and navigation/footer padding up to the target page size."""
    style = "<style>" + "".join(f".c{i}{{margin:{i % 7}px;padding:{i % 5}px;color:#{i * 4099 % 0xFFFFFF:06x}}}"
                                for i in range(400)) + "</style>"
    config = "{" + ",".join(f'"k{i}":"{rng.getrandbits(64):016x}"' for i in range(300)) + "}"
    script = f"<script>window.__CONFIG__={config};</script><script src='/static/app.{rng.getrandbits(32):08x}.js'></script>"
    head = style + script
    links: list[str] = []
    size = len(head) + body_bytes
    while size < target_bytes:
        section = rng.choice(SECTIONS)
        slug = "-".join(rng.sample(["market", "city", "report", "new", "plan", "team", "season", "study",
                                    "talks", "opening", "review", "guide", "week", "photos"], 4))
        link = f"<li class='c{rng.randrange(400)}'><a href='/{section.lower()}/{slug}-{rng.randrange(10**6)}'>" \
               f"{section}: {slug.replace('-', ' ').capitalize()}</a></li>"
        links.append(link)
        size += len(link)
    return head, "<ul class='related'>" + "".join(links) + "</ul>"


def render_page(title: str, paragraphs: list[str], published: str, rng: random.Random) -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    target = rng.randrange(50_000, 100_000)
    head, padding = _boilerplate(rng, target, len(body) + 2_000)
    nav = "<nav><ul>" + "".join(f"<li><a href='/{s.lower()}'>{s}</a></li>" for s in SECTIONS) + "</ul></nav>"
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<meta property='og:title' content='{html.escape(title)}'>"
        f"<meta property='article:published_time' content='{published}T09:00:00Z'>{head}</head><body>"
        f"<header>{nav}</header>"
        f"<main><article><h1>{html.escape(title)}</h1><p class='byline'>By Staff Reporter</p>{body}</article></main>"
        f"<aside>{padding}</aside><footer><p>Copyright Example News. All rights reserved.</p></footer>"
        "</body></html>"
    ).encode("utf-8")


def _fill(rng: random.Random, first: list[str], pool: list[list[str]]) -> list[str]:
    """``first`` then paragraphs from ``pool`` until 600-1,000 words."""
    want = rng.randrange(600, 1000)
    paras = list(first)
    while sum(len(p.split()) for p in paras) < want:
        paras.append(rng.choice(rng.choice(pool)))
    while sum(len(p.split()) for p in paras) > 1000 and len(paras) > 1:
        paras.pop()
    return paras


def make_corpus(conflict: int, other: int, seed: int = 7) -> list[tuple[bool, Page]]:
    rng = random.Random(seed)
    stories = demo_paragraphs()
    topics = topic_paragraphs()
    pages: list[tuple[bool, Page]] = []
    for i in range(conflict):
        headline, story = stories[i % len(stories)]
        # A report, then background from other reports: many real articles recap earlier events.
        paras = _fill(rng, story, [s for _, s in stories if s is not story])
        raw = render_page(headline, paras, f"2016-0{1 + i % 9}-1{i % 10}", rng)
        pages.append((True, Page(f"conflict-{i}.html", f"c{i}", raw, "html")))
    names = sorted(topics)
    for i in range(other):
        topic = topics[names[i % len(names)]]
        paras = _fill(rng, rng.sample(topic, min(len(topic), 6)), [topic])
        headline = " ".join(paras[0].split()[:9]).rstrip(",.")
        raw = render_page(headline, paras, f"2019-0{1 + i % 9}-2{i % 8}", rng)
        pages.append((False, Page(f"other-{i}.html", f"o{i}", raw, "html")))
    return pages


def time_pages(pages: list[Page], settings: Settings) -> tuple[float, dict[str, float], list[str], int]:
    res = load_resources(settings)
    stages: dict[str, float] = defaultdict(float)
    texts: list[str] = []
    dropped = 0
    started = time.perf_counter()
    for page in pages:
        try:
            coded = process(page, res, settings)
        except Reject as exc:
            print(f"  {page.source_path}: {exc.code}", file=sys.stderr)
            continue
        for name, seconds in coded.timings.items():
            stages[name] += seconds
        if coded.extra.get("not_relevant"):
            dropped += 1
        else:
            texts.append(coded.article.text)
    return time.perf_counter() - started, dict(stages), texts, dropped


def bare_spacy(texts: list[str], settings: Settings) -> float:
    nlp = load_resources(settings).nlp
    started = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    return time.perf_counter() - started


def pool_run(pages: list[Page], settings: Settings, workers: int) -> tuple[float, float]:
    """Pages per second per worker and peak RSS (MB) of the largest worker, via the pool engine."""
    from fieldreport.runners.local import code_serially
    from fieldreport.store import open_store

    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "b.sqlite") as store:
        pool_settings = replace(settings, workers=workers)
        started = time.perf_counter()
        for _ in code_serially(iter(pages), None, pool_settings, store):  # type: ignore[arg-type]
            pass
        seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return len(pages) / seconds / workers, peak_kb / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conflict", type=int, default=20, help="conflict-only pages (default 20)")
    parser.add_argument("--mix", type=int, default=200, help="pages in the mixed corpus (default 200)")
    parser.add_argument("--share", type=float, default=0.05, help="conflict share of the mix (default 0.05)")
    parser.add_argument("--workers", type=int, default=2, help="pool workers for the pool figure (0: skip)")
    args = parser.parse_args(argv)

    settings = Settings(progress=False)
    load_resources(settings)  # load outside the timings
    conflict = [p for _, p in make_corpus(args.conflict, 0)]
    n_conf = max(1, round(args.mix * args.share))
    mixed_pairs = make_corpus(n_conf, args.mix - n_conf, seed=11)
    random.Random(3).shuffle(mixed_pairs)
    mixed = [p for _, p in mixed_pairs]
    sizes = [len(p.raw) for p in conflict + mixed]
    print(f"corpus: {len(conflict)} conflict pages; mix of {len(mixed)} pages with {n_conf} conflict "
          f"({args.share:.0%}); HTML {min(sizes) / 1000:.0f}-{max(sizes) / 1000:.0f} KB, "
          f"median {statistics.median(sizes) / 1000:.0f} KB")

    process(conflict[0], load_resources(settings), settings)  # warm caches
    full, stages, texts, _ = time_pages(conflict, settings)
    words = [len(t.split()) for t in texts]
    bare = bare_spacy(texts, settings)
    print(f"clean text: {min(words)}-{max(words)} words, median {statistics.median(words):.0f}")
    print(f"\nconflict-only, one core: {len(conflict) / full:.2f} pages/s ({full / len(conflict) * 1000:.0f} ms/page)")
    for name, seconds in stages.items():
        print(f"  {name:<10} {seconds / len(conflict) * 1000:7.1f} ms/page  {seconds / full:6.1%}")
    print(f"bare spaCy nlp.pipe over the same clean texts: {bare / len(texts) * 1000:.0f} ms/page")
    print(f"full pipeline / bare spaCy: {full / bare:.2f}x (target <= 1.5x)")

    mix_time, mix_stages, _, dropped = time_pages(mixed, settings)
    print(f"\nmixed ({args.share:.0%} conflict), one core: {len(mixed) / mix_time:.2f} pages/s "
          f"({mix_time / len(mixed) * 1000:.0f} ms/page); relevance filter dropped {dropped}/{len(mixed)}")
    for name, seconds in mix_stages.items():
        print(f"  {name:<10} {seconds / len(mixed) * 1000:7.1f} ms/page  {seconds / mix_time:6.1%}")
    print(f"mixed throughput / conflict-only throughput: {(len(mixed) / mix_time) / (len(conflict) / full):.1f}x "
          "(target >= 5x)")

    if args.workers:
        per_core, peak = pool_run(mixed, settings, args.workers)
        print(f"\nprocess pool, {args.workers} workers, mixed corpus: {per_core:.2f} pages/s per core "
              f"(including worker start-up); peak memory per worker {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

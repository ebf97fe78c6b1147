"""How many cards `modelshare.card.check_card` checks per second (target: >= 200 cards/s).

    .venv/bin/python benchmarks/cards.py [--repeat 5]

Checks every card of the test corpus (tests/cards/, 46 cards from empty to a
1,500-heading file, including the upstream all-MiniLM-L6-v2 card) several
times and prints a Markdown table. It also times the card editor's loop on a
full card: replace one section, render the HTML preview, re-check and score
(target: under 50 ms).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from modelshare.card import CardDocument, check_card, render_html  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    cards = sorted((ROOT / "tests" / "cards").glob("*.md"))
    texts = [p.read_text(encoding="utf-8") for p in cards]
    size = sum(len(t) for t in texts)
    check_card(texts[0])  # imports and caches outside the timing

    def rate(batch: list[str]) -> list[float]:
        out = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            for text in batch:
                check_card(text)
            out.append(len(batch) / (time.perf_counter() - start))
        return out

    rates = rate(texts)
    typical = [t for t in texts if len(t) < 20_000]  # without the 1,500-heading stress card
    typical_rates = rate(typical)

    full = (ROOT / "tests" / "cards" / "good_gss_full.md").read_text(encoding="utf-8")
    loop = []
    for i in range(50):
        start = time.perf_counter()
        doc = CardDocument(full).set("limitations", f"Edit number {i}: the model fails for women.")
        render_html(doc)
        check_card(doc.text)
        loop.append((time.perf_counter() - start) * 1000)

    big = max(texts, key=len)
    start = time.perf_counter()
    for _ in range(5):
        check_card(big)
    per_big = (time.perf_counter() - start) / 5 * 1000

    print("| measure | value | target |\n| --- | ---: | --- |")
    print(f"| cards checked per second ({len(texts)} cards, {size / 1000:.0f} kB, median of "
          f"{args.repeat}) | {statistics.median(rates):.0f} | >= 200 |")
    print(f"| slowest run, cards/s | {min(rates):.0f} | |")
    print(f"| cards/s without the 86 kB stress card ({len(typical)} cards) | "
          f"{statistics.median(typical_rates):.0f} | |")
    print(f"| editor loop: set section + HTML preview + check, median ms | "
          f"{statistics.median(loop):.1f} | < 50 |")
    print(f"| editor loop, 95th percentile ms | {sorted(loop)[int(len(loop) * 0.95)]:.1f} | |")
    print(f"| largest card ({len(big) / 1000:.0f} kB), ms per check | {per_big:.1f} | |")


if __name__ == "__main__":
    main()

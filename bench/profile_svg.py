#!/usr/bin/env python3
"""Draws a callgrind profile as an SVG bar chart (docs/images/*.svg).

    python3 bench/profile_svg.py PROFILE OUT.svg "title" [--top 28] [--per N]

PROFILE is a callgrind output file (bench/instructions.py --profile). Each
bar is one function: its inclusive instructions (itself and what it calls)
as a share of the whole profile, the darker part its own (exclusive) cost.
--per N also labels each bar with instructions per request (the profile
answered N requests of the kind measured). Uses callgrind_annotate
(valgrind's) to read the file, so names come out demangled.
"""
import argparse
import html
import re
import subprocess


def costs(profile, inclusive):
    """{function: instructions}: the largest figure callgrind_annotate gives a
    function (it lists one line per file a function's code came from)."""
    out = subprocess.run(["callgrind_annotate", "--inclusive=" + ("yes" if inclusive else "no"),
                          "--threshold=100", "--auto=no", profile], capture_output=True, text=True,
                         check=True).stdout
    total = 0
    rows = {}
    for line in out.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\([\s\d.]+%\)\s+(.*)$", line)
        if not m:
            continue
        ir = int(m.group(1).replace(",", ""))
        rest = re.sub(r"\s+\[[^\]]*\]$", "", m.group(2))
        if rest.startswith("PROGRAM TOTALS"):
            total = ir
            continue
        if ":" not in rest:
            continue
        name = rest.split(":", 1)[1]
        if name.startswith("0x") or "_State_impl" in name or name == "start_thread":
            continue  # unnamed code and thread start-up frames
        rows[name] = max(rows.get(name, 0), ir)
    return total, rows


def short(name, width=110):
    name = name.replace("(anonymous namespace)", "{anon}")
    name = re.sub(r"\(.*\)", "()", name) if len(name) > width else name
    return name if len(name) <= width else name[: width - 1] + "…"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("profile")
    ap.add_argument("out")
    ap.add_argument("title")
    ap.add_argument("--top", type=int, default=28)
    ap.add_argument("--per", type=int, default=0)
    a = ap.parse_args()
    total, inc = costs(a.profile, True)
    _, exc = costs(a.profile, False)
    # One bar per shortened name (callgrind lists a function once per file
    # its code came from, and overloads shorten alike).
    merged, own = {}, {}
    for name, ir in inc.items():
        k = short(name, 86)
        merged[k] = max(merged.get(k, 0), ir)
    for name, ir in exc.items():
        k = short(name, 86)
        own[k] = own.get(k, 0) + ir
    exc = own
    top = sorted(merged.items(), key=lambda kv: -kv[1])[: a.top]
    bar_w, label_w, row_h = 420, 640, 22
    extra = 190  # room for the labels right of a full bar
    h = 70 + row_h * len(top)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + extra}" height="{h}" '
           'font-family="DejaVu Sans Mono, monospace" font-size="12">',
           '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="10" y="22" font-size="15" font-weight="bold">{html.escape(a.title)}</text>',
           f'<text x="10" y="42" fill="#444">callgrind, {total:,} instructions in all; bar = '
           'inclusive share, dark = the function itself'
           + (f'; labels per request ({a.per} requests)' if a.per else '') + '</text>']
    for i, (name, ir) in enumerate(top):
        y = 56 + i * row_h
        share = ir / total if total else 0
        own = exc.get(name, 0) / total if total else 0
        svg.append(f'<rect x="{label_w}" y="{y}" width="{bar_w * share:.1f}" height="{row_h - 6}" '
                   'fill="#f4a259"/>')
        svg.append(f'<rect x="{label_w}" y="{y}" width="{bar_w * own:.1f}" height="{row_h - 6}" '
                   'fill="#bc4b51"/>')
        label = f"{share * 100:5.1f}%"
        if a.per:
            label += f"  {ir / a.per:,.0f}/req"
        svg.append(f'<text x="{label_w + 4 + bar_w * share:.1f}" y="{y + 12}">{label}</text>')
        svg.append(f'<text x="10" y="{y + 12}">{html.escape(name)}</text>')
    svg.append("</svg>")
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()

"""Make the CJK font bundled with hazard_rules.analysis (run once; the result is committed).

It is Noto Sans CJK SC Regular (SIL Open Font License 1.1) cut down to the characters
of GB 2312 (6,763 hanzi and its symbols), Latin, punctuation, the CJK symbol and
full-width blocks, and every character of the bundled rulesets, and renamed
"Hazard Rules Sans SC" so that it never shadows a full Noto Sans CJK installed on the
system (which the charts then use as a fallback for rarer characters). Source: the
Debian package fonts-noto-cjk (1:20220127+repack1-1, upstream Noto Sans CJK 2.004)::

    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb deb
    python tools/make_cjk_font.py deb/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

Needs fontTools (a dependency of matplotlib).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "hazard_rules" / "analysis" / "_fonts" / "HazardRulesSansSC-Regular.otf"
FAMILY = "Hazard Rules Sans SC"
RANGES = [(0x20, 0x7F), (0xA0, 0x180), (0x2000, 0x20A0), (0x2100, 0x2200), (0x2200, 0x2300),
          (0x2460, 0x2500), (0x2500, 0x2580), (0x25A0, 0x2600), (0x3000, 0x3040),
          (0xFF00, 0xFFF0)]


def characters() -> set[int]:
    chars = {cp for lo, hi in RANGES for cp in range(lo, hi)}
    for cp in range(0x80, 0x10000):
        try:
            chr(cp).encode("gb2312")
        except UnicodeEncodeError:
            continue
        chars.add(cp)
    for path in sorted((ROOT / "rulesets").rglob("*.yaml")):
        chars.update(ord(c) for c in path.read_text(encoding="utf-8") if ord(c) >= 0x20)
    return chars


def load(source: Path) -> TTFont:
    if source.suffix.lower() == ".ttc":
        for font in TTCollection(str(source)).fonts:
            if font["name"].getDebugName(1) == "Noto Sans CJK SC":
                return font
        raise SystemExit(f"{source}: no Noto Sans CJK SC face")
    return TTFont(str(source))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", type=Path, help="NotoSansCJK-Regular.ttc or NotoSansCJKsc-Regular.otf")
    ap.add_argument("-o", "--output", type=Path, default=OUT)
    args = ap.parse_args()
    font = load(args.source)
    font.recalcTimestamp = False  # the same bytes on every run
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    sub = subset.Subsetter(options)
    sub.populate(unicodes=characters())
    sub.subset(font)
    names = font["name"]
    version = names.getDebugName(5) or ""
    for record in list(names.names):
        if record.nameID in (1, 4, 16):
            names.setName(FAMILY if record.nameID != 4 else f"{FAMILY} Regular",
                          record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 3:
            names.setName(f"{FAMILY} Regular; subset of Noto Sans CJK SC {version}",
                          3, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            names.setName("HazardRulesSansSC-Regular", 6, record.platformID,
                          record.platEncID, record.langID)
        elif record.nameID == 17:
            names.setName("Regular", 17, record.platformID, record.platEncID, record.langID)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = ["HazardRulesSansSC-Regular"]
        top = cff.topDictIndex[0]
        top.FamilyName = FAMILY
        top.FullName = f"{FAMILY} Regular"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(args.output))
    print(f"{args.output}: {args.output.stat().st_size:,} bytes, "
          f"{len(font.getBestCmap()):,} characters")


if __name__ == "__main__":
    main()

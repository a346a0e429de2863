"""A CJK font for matplotlib, so that Chinese labels render on any machine.

The package bundles *Hazard Rules Sans SC* (``_fonts/``): Noto Sans CJK SC cut down to
GB 2312 and the characters of the bundled rulesets (SIL Open Font License 1.1, see
``_fonts/README.md``). The charts use, in this order: a font file named by the
environment variable ``HAZARD_RULES_CJK_FONT`` (read once, when the charts first need
fonts), the bundled font, any of the usual CJK fonts installed on the system (Noto Sans
CJK SC, Source Han Sans SC, WenQuanYi, Microsoft YaHei, SimHei, PingFang SC...), then
DejaVu Sans. matplotlib takes each character from the first font that has it, so a
character outside GB 2312 still renders when the system has a fuller font.

The charts of :mod:`hazard_rules.analysis.plots` use these fonts without changing
matplotlib's global settings; call :func:`use_cjk_font` to make them the default for
your own charts too.

>>> font_families()[:2]
('Hazard Rules Sans SC', ...)
>>> uncovered("重大事故隐患 第十一条第（三）项 30 kPa")
''
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["ENV_FONT", "FAMILY", "FONT_FILE", "SYSTEM_FAMILIES", "font_families",
           "rc_params", "uncovered", "use_cjk_font"]

#: The bundled font's family name.
FAMILY = "Hazard Rules Sans SC"
#: The bundled font file.
FONT_FILE = Path(__file__).parent / "_fonts" / "HazardRulesSansSC-Regular.otf"
#: The environment variable that names a font file to use before the bundled one.
ENV_FONT = "HAZARD_RULES_CJK_FONT"
#: CJK fonts a system may have, used after the bundled one for rarer characters.
SYSTEM_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
                   "Source Han Sans CN", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
                   "Microsoft YaHei", "SimHei", "PingFang SC", "Hiragino Sans GB",
                   "Heiti SC", "Droid Sans Fallback")


@cache
def font_families() -> tuple[str, ...]:
    """Register the fonts with matplotlib (once) and return the families, in the order
    the charts try them."""
    from matplotlib import font_manager

    families: list[str] = []
    extra = os.environ.get(ENV_FONT)
    if extra:
        path = Path(extra).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"{ENV_FONT}={extra}: no such font file")
        font_manager.fontManager.addfont(str(path))
        families.append(font_manager.FontProperties(fname=str(path)).get_name())
    font_manager.fontManager.addfont(str(FONT_FILE))
    families.append(FAMILY)
    installed = {f.name for f in font_manager.fontManager.ttflist}
    families.extend(f for f in SYSTEM_FAMILIES if f in installed and f not in families)
    families.append("DejaVu Sans")
    return tuple(dict.fromkeys(families))


def rc_params() -> dict[Any, Any]:
    """matplotlib settings that select the fonts (for ``matplotlib.rc_context``). The
    families are named, not left to the generic ``sans-serif``, so that a text keeps its
    fonts when the figure is drawn later, outside the context (in Jupyter, say).

    >>> rc_params()["font.family"][0]
    'Hazard Rules Sans SC'
    """
    families = list(font_families())
    return {"font.family": families, "font.sans-serif": families}


def use_cjk_font() -> None:
    """Make the fonts matplotlib's default (for charts of your own).

    >>> import matplotlib
    >>> with matplotlib.rc_context():
    ...     use_cjk_font()
    ...     matplotlib.rcParams["font.sans-serif"][0]
    'Hazard Rules Sans SC'
    """
    import matplotlib

    matplotlib.rcParams.update(rc_params())


@cache
def _font_files() -> tuple[str, ...]:
    from matplotlib import font_manager

    files = []
    for family in font_families():
        try:
            files.append(font_manager.findfont(font_manager.FontProperties(family=family),
                                               fallback_to_default=False))
        except ValueError:  # pragma: no cover - a family that vanished
            continue
    return tuple(dict.fromkeys(files))


def uncovered(text: str) -> str:
    """The characters of ``text`` that none of the fonts has (they would render as
    boxes), each once; the empty string when every character renders.

    >>> uncovered("检查\U000f0000") == "\U000f0000"  # a private-use character
    True
    """
    from matplotlib.ft2font import FT2Font

    fonts = [FT2Font(f) for f in _font_files()]
    missing = (c for c in dict.fromkeys(text) if not c.isspace() and
               not any(font.get_char_index(ord(c)) for font in fonts))
    return "".join(missing)

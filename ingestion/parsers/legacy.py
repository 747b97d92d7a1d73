"""Legacy binary Office files (.doc/.wps/.xls): converted by LibreOffice headless, when installed.

Conversion runs in a private temporary directory with its own LibreOffice profile (a second
instance would otherwise hit the user's profile lock) and a timeout. The converted DOCX/XLSX goes
through the normal parser. stack-notes.md: LibreOffice may lose table structure in some round
trips, so the document carries a warning that it was converted.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from core.settings import Settings
from ingestion.errors import ParseError
from ingestion.parsers import Parsed

CONVERT_TIMEOUT_S = 120
_MISSING = {
    "doc": "旧版 Word/WPS 文件需要安装 LibreOffice（apt-get install libreoffice-writer-nogui）后才能读取；"
           "请安装后重新导入，或在 Word/WPS 中另存为 DOCX 后导入",
    "xls": "旧版 Excel 文件需要安装 LibreOffice（apt-get install libreoffice-calc-nogui）后才能读取；"
           "请安装后重新导入，或在 Excel/WPS 中另存为 XLSX 后导入",
}
_TARGET = {"doc": "docx", "xls": "xlsx"}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def parse_legacy(data: bytes, kind: str, settings: Settings,
                 parse_converted: Callable[[bytes, Settings], Parsed]) -> Parsed:
    exe = soffice()
    if exe is None:
        raise ParseError(_MISSING[kind])
    target = _TARGET[kind]
    with tempfile.TemporaryDirectory(prefix="zwgk-lo-") as tmp:
        src = Path(tmp) / f"input.{kind}"
        src.write_bytes(data)
        cmd = [exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
               "--convert-to", target, "--outdir", str(Path(tmp) / "out"), str(src)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ParseError(f"LibreOffice 转换超时（超过 {CONVERT_TIMEOUT_S} 秒）；"
                             "请在 Word/WPS 中打开后另存为 DOCX/XLSX 再导入") from exc
        except OSError as exc:
            raise ParseError("无法启动 LibreOffice；请检查其安装，或在 Word/WPS 中另存为 DOCX/XLSX 后导入") from exc
        out = Path(tmp) / "out" / f"input.{target}"
        if not out.is_file():
            raise ParseError(f"LibreOffice 未能把该文件转换为 {target.upper()}，文件可能已损坏；"
                             f"请在 Word/WPS/Excel 中打开后另存为 {target.upper()} 再导入")
        parsed = parse_converted(out.read_bytes(), settings)
    parsed.warnings.append(f"旧版文件已用 LibreOffice 转换为 {target.upper()} 后读取，表格结构可能有偏差")
    return parsed

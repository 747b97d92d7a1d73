"""Where evidence files come from: the paths a user names, walked, checked and opened safely.

Only regular files inside the input folder are read. Everything else is reported, with a Chinese
reason, before it is opened:

- a FIFO, a device or a socket (a FIFO named `.txt` blocks a reader for ever, `/dev/zero` never ends);
- a symbolic link whose target lies outside the input folder (the folder given to `ingest`, or, for a
  file named directly, the folder it is in): the link is resolved and its target compared with the
  folder, so `report.pdf -> /etc/passwd` or `-> ../../other-unit/secret.docx` is never read;
- a broken link or a link loop.

The check is repeated on the open descriptor (`O_NOFOLLOW | O_NONBLOCK`, then `fstat`), so a file
swapped for a link or a FIFO between the check and the open is refused too. Inside a folder, links to
directories are not followed (their files are read through their real path, if inside); hidden files
and Office lock files are skipped, as before.
"""

from __future__ import annotations

import hashlib
import os
import stat as st
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from core.display import safe_name

IGNORED_PREFIXES = (".", "~$")  # hidden files, Office lock files
_BLOCK = 1 << 20


class SourceRefused(Exception):
    """A file that is not read; the message is Chinese and says what to do."""


@dataclass(frozen=True)
class Source:
    path: Path  # as found (may be a link)
    name: str  # the name reported: relative to the folder given, or the base name
    root: Path  # the input folder (resolved): nothing outside it is read


def input_files(paths: Iterable[Path]) -> Iterator[Source]:
    """Every entry to ingest, in a stable order: a file given directly is named by its base name;
    entries found in a directory (recursively, sorted) by their path relative to it. Non-regular
    entries are included (and refused when opened), so that none is skipped silently."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            root = path.resolve()
            found = []
            for dirpath, dirnames, filenames in os.walk(path):  # links to directories are not entered
                here = Path(dirpath)
                dirnames[:] = [d for d in dirnames if not d.startswith(IGNORED_PREFIXES)]
                linked = [d for d in dirnames if (here / d).is_symlink()]
                for name in [*filenames, *linked]:
                    if name.startswith(IGNORED_PREFIXES):
                        continue
                    entry = here / name
                    if name in linked and inside(entry, root):
                        continue  # a link to a folder inside: its files are read through their own path
                    found.append(entry)
            for entry in sorted(found):
                yield Source(entry, entry.relative_to(path).as_posix(), root)
        else:
            yield Source(path, path.name, path.absolute().parent.resolve())


def inside(path: Path, root: Path) -> bool:
    """`path` (resolved) lies in `root`."""
    try:
        return path.resolve(strict=True).is_relative_to(root)
    except (OSError, RuntimeError):
        return False


_KINDS = {st.S_IFIFO: "命名管道 FIFO", st.S_IFCHR: "字符设备", st.S_IFBLK: "块设备", st.S_IFSOCK: "套接字",
          st.S_IFDIR: "目录"}


def _not_regular(mode: int) -> str:
    kind = _KINDS.get(st.S_IFMT(mode), "特殊文件")
    return f"不是普通文件（{kind}），未读取；请只导入普通的材料文件"


def check(source: Source) -> Path:
    """The path to open: the file itself, or a link's resolved target inside the input folder."""
    try:
        info = os.lstat(source.path)
    except OSError as exc:
        raise SourceRefused(unreadable(exc)) from exc
    if not st.S_ISLNK(info.st_mode):
        if not st.S_ISREG(info.st_mode):
            raise SourceRefused(_not_regular(info.st_mode))
        return source.path
    try:
        target = source.path.resolve(strict=True)
    except RuntimeError as exc:  # Python 3.11: a link loop
        raise SourceRefused("是循环的符号链接，未读取；请导入实际文件") from exc
    except OSError as exc:
        raise SourceRefused("是断开的符号链接（目标不存在），未读取；请导入实际文件") from exc
    if not target.is_relative_to(source.root):
        raise SourceRefused(f"是指向输入目录之外的符号链接（指向 {safe_name(str(target))}），出于安全未读取；"
                            "请把实际文件复制到输入目录后再导入")
    try:
        mode = os.stat(target).st_mode
    except OSError as exc:
        raise SourceRefused(unreadable(exc)) from exc
    if not st.S_ISREG(mode):
        raise SourceRefused(_not_regular(mode))
    return target


def unreadable(exc: OSError) -> str:
    """Why a file cannot be read, in Chinese (the system's own text is English)."""
    import errno

    reasons = {errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限", errno.ENOENT: "文件不存在（可能已被移走或删除）",
               errno.EISDIR: "这是一个目录", errno.ELOOP: "在检查后被替换为符号链接", errno.EIO: "磁盘读写错误",
               errno.ENAMETOOLONG: "路径过长"}
    return f"无法读取文件：{reasons.get(exc.errno, '读取失败')}；请检查文件是否存在、是否允许读取后重新导入"


@dataclass
class OpenSource:
    fd: int
    stat: os.stat_result
    path: Path  # what was opened (the resolved target of an allowed link)

    def _blocks(self, max_bytes: int, too_large: str) -> Iterator[bytes]:
        """The content from the start, refused once it passes `max_bytes` (a file growing while it is
        read is bounded too, not only by the size it had when checked)."""
        os.lseek(self.fd, 0, os.SEEK_SET)
        seen = 0
        while True:
            try:
                block = os.read(self.fd, _BLOCK)
            except OSError as exc:
                raise SourceRefused(unreadable(exc)) from exc
            if not block:
                return
            seen += len(block)
            if seen > max_bytes:
                raise SourceRefused(too_large)
            yield block

    def sha256(self, max_bytes: int, too_large: str) -> str:
        digest = hashlib.sha256()
        for block in self._blocks(max_bytes, too_large):
            digest.update(block)
        return digest.hexdigest()

    def copy_to_temp(self, directory: Path, max_bytes: int, too_large: str) -> Path:
        """A copy under a temporary name in `directory` (the caller renames it into place once the
        file has parsed, or deletes it); a copy that fails half-way is removed."""
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=directory)
        try:
            with os.fdopen(fd, "wb") as out:
                for block in self._blocks(max_bytes, too_large):
                    out.write(block)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return Path(tmp)


TEMP_PREFIX = ".tmp-"  # core.files uses the same prefix for its atomic writes


@contextmanager
def open_source(source: Source) -> Iterator[OpenSource]:
    """The source opened for reading, or SourceRefused before anything is read."""
    target = check(source)
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(target, flags)
    except OSError as exc:
        raise SourceRefused(unreadable(exc)) from exc
    try:
        info = os.fstat(fd)
        if not st.S_ISREG(info.st_mode):  # swapped after the check
            raise SourceRefused(_not_regular(info.st_mode))
        yield OpenSource(fd, info, target)
    finally:
        os.close(fd)

"""Government-website domain rules (domain-rules.md §5.4, CONFIRMED-2: 国办发〔2017〕47号, 国办函〔2018〕55号).

Decides only what the spec confirms: an English domain must end in .gov.cn and a Chinese domain in
.政务; any other suffix (.com, .cn, .net, an IP address...) is non-standard. The finer structure
rules (a portal as www.□□□.gov.cn, a department site as ○○○.□□□.gov.cn under its government's or
parent department's portal) depend on what the site is and whose portal it hangs under, which a
ledger rarely states for certain: deviations are reported for a human, never deducted.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from enum import StrEnum

from core.textnorm import normalize


class DomainStatus(StrEnum):
    standard = "standard"
    nonstandard = "nonstandard"
    review = "review"  # suffix fine, structure doubtful: a human decides
    unreadable = "unreadable"


@dataclass(frozen=True)
class DomainVerdict:
    host: str
    status: DomainStatus
    reason: str  # Chinese


_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


_HOST = re.compile(r"(?<![\w./-])((?:[a-z0-9\u4e00-\u9fa5](?:[a-z0-9\u4e00-\u9fa5-]*[a-z0-9\u4e00-\u9fa5])?\.)+"
                   r"(?:[a-z]{2,}|[\u4e00-\u9fa5]{2,}|\d{1,3}))(?::\d+)?(?=$|[/\s,;，；、)）(（]|[^\w.-])")


def hosts_in(text: str) -> list[str]:
    """The host names in a ledger cell ("网址：http://www.xh.gov.cn/index.html", several URLs, IPs)."""
    s = normalize(text).lower().replace("。", ".")
    s = re.sub(r"[a-z][a-z0-9+.-]*://", " ", s)  # schemes
    hosts = []
    for m in _HOST.finditer(s):
        host = m.group(1)
        labels = host.split(".")
        if labels[-1].isdigit() and not _is_ip(host):
            continue  # a date such as 2023.1.31, not a host
        hosts.append(host)
    return list(dict.fromkeys(hosts))


def host_of(text: str) -> str:
    hosts = hosts_in(text)
    return hosts[0] if hosts else ""


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def classify_cell(text: str, site_type: str = "") -> list[DomainVerdict]:
    """Every host named in a ledger cell, classified; an unreadable cell gives one `unreadable`."""
    hosts = hosts_in(text)
    if not hosts:
        return [DomainVerdict("", DomainStatus.unreadable, f"无法从“{text.strip()}”识别出域名")]
    return [classify_domain(h, site_type) for h in hosts]


def classify_domain(text: str, site_type: str = "") -> DomainVerdict:
    host = host_of(text)
    if not host or "." not in host:
        return DomainVerdict(host, DomainStatus.unreadable, f"无法从“{text.strip()}”识别出域名")
    if _is_ip(host):
        return DomainVerdict(host, DomainStatus.nonstandard, "使用IP地址访问，未使用以.gov.cn或.政务为后缀的域名")
    if host.endswith(".政务"):
        return DomainVerdict(host, DomainStatus.standard, "使用以“.政务”为后缀的中文域名")
    if host == "gov.cn" or not host.endswith(".gov.cn"):
        suffix = host.rsplit(".", 1)[-1]
        return DomainVerdict(
            host, DomainStatus.nonstandard,
            f"后缀为“.{suffix}”，政府网站应使用以.gov.cn为后缀的英文域名或以.政务为后缀的中文域名",
        )
    labels = host.split(".")[:-2]
    if not all(_LABEL.match(label) for label in labels):
        return DomainVerdict(host, DomainStatus.review, "以.gov.cn为后缀，但含非英文/拼音字符，请人工核实")
    portal = "门户" in normalize(site_type)
    if portal and (labels[0] != "www" or len(labels) != 2):
        return DomainVerdict(
            host, DomainStatus.review,
            "门户网站应使用“www.□□□.gov.cn”结构的域名，该域名结构不同，请人工核实",
        )
    if not portal and len(labels) < 2:
        return DomainVerdict(
            host, DomainStatus.review,
            "部门网站应使用本级政府或上级部门门户网站的下级域名（○○○.□□□.gov.cn），请人工核实",
        )
    return DomainVerdict(host, DomainStatus.standard, "以.gov.cn为后缀，结构符合要求")

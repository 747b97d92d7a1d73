#!/usr/bin/env bash
# Dependency audit: every pinned package of requirements.lock against PyPI's vulnerability data.
#
#   scripts/audit.sh            exit 0: no known vulnerability, or the audit could not run (says "audit skipped")
#                               exit 1: known vulnerabilities (listed), so CI fails
# pip-audit reads the pins as they are (--no-deps --disable-pip: nothing is resolved or installed)
# and asks the package index's vulnerability data per package; without it the audit is skipped, loudly.
set -uo pipefail
cd "$(dirname "$0")/.."

PIP_AUDIT="${PIP_AUDIT:-.venv/bin/pip-audit}"
PY="${PYTHON:-.venv/bin/python}"
LOCK="${1:-requirements.lock}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

if [ ! -x "$PIP_AUDIT" ]; then
    echo "依赖审计：未找到 pip-audit（$PIP_AUDIT），audit skipped" >&2
    exit 0
fi

"$PIP_AUDIT" --requirement "$LOCK" --no-deps --disable-pip --progress-spinner off --timeout 30 \
    --cache-dir "${PIP_AUDIT_CACHE:-$HOME/.cache/pip-audit}" --format json --output "$OUT/audit.json" \
    2>"$OUT/stderr"
status=$?

"$PY" - "$OUT/audit.json" "$status" "$OUT/stderr" <<'PY'
import json
import sys
from pathlib import Path

report, status, stderr = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]).read_text(errors="replace")
try:
    data = json.loads(report.read_text())
except (OSError, ValueError):
    print(f"依赖审计未完成（pip-audit 退出码 {status}），audit skipped：\n{stderr[-1500:]}", file=sys.stderr)
    sys.exit(0)
deps = data.get("dependencies", [])
skipped = [d for d in deps if d.get("skip_reason")]
vulnerable = [d for d in deps if d.get("vulns")]
if deps and len(skipped) == len(deps):
    # e.g. a registry mirror that serves /pypi/<name>/json but not /pypi/<name>/<version>/json
    print(f"依赖审计：漏洞数据服务对全部 {len(deps)} 个固定版本均未给出数据"
          f"（例：{skipped[0]['skip_reason']}），audit skipped", file=sys.stderr)
    sys.exit(0)
print(f"依赖审计：检查 {len(deps) - len(skipped)} 个固定版本的依赖包，跳过 {len(skipped)} 个，"
      f"发现 {sum(len(d['vulns']) for d in vulnerable)} 个已知漏洞（涉及 {len(vulnerable)} 个包）。")
for d in skipped:
    print(f"  未能审计 {d['name']}=={d.get('version', '?')}：{d['skip_reason']}")
for d in vulnerable:
    for v in d["vulns"]:
        fix = "、".join(v.get("fix_versions") or []) or "暂无修复版本"
        print(f"  {d['name']}=={d['version']}  {v['id']}  修复版本：{fix}")
sys.exit(1 if vulnerable else 0)
PY

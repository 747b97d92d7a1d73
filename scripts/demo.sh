#!/usr/bin/env bash
# make demo: the main job on the bundled sample units: ingest, pre-screen every catalog item,
# print each unit's scorecard, write the exports (scorecard.json/.xlsx, findings.docx, summary.xlsx).
set -euo pipefail
cd "$(dirname "$0")/.."
WS=${WS:-workspace/demo}
OUT=${OUT:-out/demo}
ZWGK=.venv/bin/zwgk

echo "== 考核指标体系（廊坊市2023年度） ==" >&2
$ZWGK indicators show | head -n 20 >&2
echo "…（完整指标：.venv/bin/zwgk indicators show）" >&2
echo >&2
echo "== 预审样例单位（samples/demo） ==" >&2
status=0
$ZWGK screen samples/demo --workspace "$WS" --out "$OUT" || status=$?
echo >&2
echo "导出文件：" >&2
find "$OUT" -maxdepth 2 -type f | sort >&2
echo >&2
echo "可继续尝试：$ZWGK chat \"这份年报是否符合统一格式？\" --workspace $WS --unit <单位名>" >&2
exit $status

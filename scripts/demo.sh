#!/usr/bin/env bash
# make demo: the main job on the bundled sample units: ingest, pre-screen every catalog item,
# print each unit's scorecard, write the exports (scorecard.json/.xlsx, findings.docx, summary.xlsx).
# The workspace is the one `make serve` opens (WS, default workspace/): the units screened here wait
# for review there, and the last line says where.
set -euo pipefail
cd "$(dirname "$0")/.."
WS=${WS:-workspace}
OUT=${OUT:-out/demo}
PORT=${PORT:-7860}
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
find "$OUT" -maxdepth 2 -type f ! -name ".*" | sort >&2
echo >&2
echo "可继续尝试：$ZWGK chat \"这份年报是否符合统一格式？\" --workspace $WS --unit <单位名>" >&2
units=$(find samples/demo -mindepth 1 -maxdepth 1 -type d | wc -l)
serve="make serve"
[ "$WS" = workspace ] || serve="$serve WS=$WS"
[ "$PORT" = 7860 ] || serve="$serve PORT=$PORT"
echo "复核：运行 $serve 后在浏览器打开 http://127.0.0.1:$PORT/ ，${units} 个样例单位已在“评分表”中等待复核。" >&2
exit $status

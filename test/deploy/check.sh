#!/usr/bin/env bash
# Checks docs/deploy: Prometheus rules (promtool check + unit tests), the example Prometheus
# config, the collector config / dashboard / datasource files and the metric-name contract
# (test/deploy/validate-deploy.mjs), the dashboard's PromQL (promtool), and that the validator
# rejects deliberately broken copies. Needs promtool (Debian package `prometheus`) and Node.
# Prints `ok`/`not ok` per check and ends with a line `N passed, M failed`; exits 1 on failure.
set -uo pipefail
cd "$(dirname "$0")/../.."

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok - $1"; }
fail() { failed=$((failed + 1)); echo "not ok - $1"; }

if ! command -v promtool >/dev/null 2>&1; then
  echo "promtool not found: apt-get install -y prometheus" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

tmp_root="${TMPDIR:-$PWD/.tmp}"
mkdir -p "$tmp_root"
work="$(mktemp -d "$tmp_root/streamtrace-deploy.XXXXXX")"
trap 'rm -rf "$work"' EXIT

run() { # name, command...
  local name="$1"; shift
  local out
  if out="$("$@" 2>&1)"; then pass "$name"; else fail "$name"; echo "$out" | sed 's/^/    /'; fi
}

run "promtool check rules docs/deploy/alerts.yml" promtool check rules docs/deploy/alerts.yml
run "promtool test rules test/deploy/alerts.test.yml" promtool test rules test/deploy/alerts.test.yml
run "promtool check config docs/deploy/prometheus.yml" promtool check config docs/deploy/prometheus.yml

# Structural checks: one line per check from the validator.
validator_out="$(node test/deploy/validate-deploy.mjs "$work/dashboard-rules.yml" 2>&1)"
validator_rc=$?
while IFS= read -r line; do
  case "$line" in
    "ok - "*) pass "${line#ok - }" ;;
    "not ok - "*) fail "${line#not ok - }" ;;
    *) [ -n "$line" ] && echo "    $line" ;;
  esac
done <<< "$validator_out"
if [ "$validator_rc" -ne 0 ] && ! grep -q '^not ok' <<< "$validator_out"; then fail "validate-deploy.mjs crashed"; fi

if [ -s "$work/dashboard-rules.yml" ]; then
  run "promtool parses every dashboard PromQL expression" promtool check rules "$work/dashboard-rules.yml"
else
  fail "dashboard expressions were not extracted"
fi

# The validator must reject broken copies: each case edits one file and expects a `not ok`.
expect_rejected() { # name, file, text to replace (first occurrence), replacement
  local name="$1" file="$2" old="$3" new="$4" dir="$work/mutant"
  rm -rf "$dir" && cp -r docs/deploy "$dir"
  if ! OLD="$old" NEW="$new" node -e '
    const fs = require("node:fs");
    const path = process.argv[1];
    const text = fs.readFileSync(path, "utf8");
    if (!text.includes(process.env.OLD)) { console.error("pattern not found in " + path); process.exit(1); }
    fs.writeFileSync(path, text.replace(process.env.OLD, () => process.env.NEW));
  ' "$dir/$file"
  then fail "rejects: $name (could not build the broken copy)"; return; fi
  if DEPLOY_DIR="$dir" node test/deploy/validate-deploy.mjs >"$work/mutant.out" 2>&1; then
    fail "rejects: $name (validator accepted it)"
  else
    pass "rejects: $name ($(grep -m1 '^not ok' "$work/mutant.out" | sed 's/^not ok - //' | cut -c1-90))"
  fi
}

expect_rejected "session.id as a span-metrics dimension" otel-collector.yaml \
  "      - name: error.type" $'      - name: error.type\n      - name: session.id'
expect_rejected "tail sampling before span metrics" otel-collector.yaml \
  "      processors: [memory_limiter]
      exporters: [span_metrics, signal_to_metrics, forward]" \
  "      processors: [memory_limiter, tail_sampling]
      exporters: [span_metrics, signal_to_metrics, forward]"
expect_rejected "a metrics pipeline without the services' OTLP metrics" otel-collector.yaml \
  "receivers: [otlp, span_metrics, signal_to_metrics]" "receivers: [span_metrics, signal_to_metrics]"
expect_rejected "a service metric under a name the collector derives" README.md \
  "| \`gen_ai_client_operation_duration_seconds\` |" "| \`gen_ai_client_operation_time_to_first_chunk_seconds\` |"
expect_rejected "no pipeline for the services' OTLP logs" otel-collector.yaml \
  "    logs:
      receivers: [otlp]" "    logs/disabled:
      receivers: [forward]"
expect_rejected "a component used but not defined" otel-collector.yaml \
  "exporters: [otlp_grpc/tempo, otlp_grpc/jaeger]" "exporters: [otlp_grpc/tempo, otlp_grpc/zipkin]"
expect_rejected "a duplicate YAML key" otel-collector.yaml \
  "  forward: {}" $'  forward: {}\n  forward: {}'
expect_rejected "an alert over an undocumented metric" alerts.yml \
  "expr: absent(traces_span_metrics_calls_total)" "expr: absent(traces_span_metrics_calls_count)"
expect_rejected "a dashboard query over an undocumented metric" grafana-dashboard.json \
  "rate(streamtrace_stream_render_latency_p95_seconds_bucket[" "rate(streamtrace_stream_render_latency_p95_ms_bucket["
expect_rejected "a TTFT panel without the alert's exemplars" grafana-dashboard.json \
  '"expr": "histogram_quantile(0.95, sum by (le) (rate(streamtrace_ttft_visible_seconds_bucket[5m])))",' \
  '"expr": "streamtrace:ttft_visible_seconds:p95_5m",'
expect_rejected "a runbook without its README section" README.md \
  "### runbook-StreamtraceStreamStallsHigh" "### Stalls"
expect_rejected "a metric missing from the README contract" README.md \
  "| \`streamtrace_stream_stalls\` |" "| stalls |"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
